/**
 * README's TypeScript blocks must compile against the real package. Each block becomes a file
 * (blocks starting with `// name.ts` or `// dir/name.ts` keep that path, so their relative
 * imports resolve); names a block uses without importing get an import or a stub declaration from
 * the prelude below. Files that blocks import but do not show are written from SCAFFOLD: those
 * `nest new` generates (`src/app.controller.ts`, `src/app.service.ts`) as generated, and the
 * reader's own modules the examples assume (an audit service, a Redis client provider).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test/readme/.snippets');

const PRELUDE: Record<string, string> = {
  Module: "import { Module } from '@nestjs/common';",
  Controller: "import { Controller } from '@nestjs/common';",
  Get: "import { Get } from '@nestjs/common';",
  Post: "import { Post } from '@nestjs/common';",
  Param: "import { Param } from '@nestjs/common';",
  Injectable: "import { Injectable } from '@nestjs/common';",
  CanActivate: "import type { CanActivate } from '@nestjs/common';",
  ExecutionContext: "import type { ExecutionContext } from '@nestjs/common';",
  UnauthorizedException: "import { UnauthorizedException } from '@nestjs/common';",
  ConfigModule: "import { ConfigModule } from '@nestjs/config';",
  ConfigService: "import { ConfigService } from '@nestjs/config';",
  SessionModule: "import { SessionModule } from 'nest-flask-session';",
  getSession: "import { getSession } from 'nest-flask-session';",
  SecureCookieSessionInterface: "import { SecureCookieSessionInterface } from 'nest-flask-session';",
  SecureCookieSession: "import type { SecureCookieSession } from 'nest-flask-session';",
  SessionConfig: "import type { SessionConfig } from 'nest-flask-session';",
  SessionResponse: "import type { SessionResponse } from 'nest-flask-session';",
  RedisSessionInterface: "import { RedisSessionInterface } from 'nest-flask-session';",
  Redis: "import type { Redis } from 'ioredis';",
  request: "import request from 'supertest';",
  app: "declare const app: import('@nestjs/common').INestApplication;",
  SECRET_KEY: 'declare const SECRET_KEY: string;',
};

const SCAFFOLD: Record<string, string> = {
  // The reader's own modules that blocks import, as small as they can be.
  'audit.module.ts': `import { Injectable, Module } from '@nestjs/common';

@Injectable()
export class AuditService {
  record(event: string): void {
    console.log(event);
  }
}

@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
`,
  'redis.module.ts': `import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';

export const REDIS = 'REDIS';

@Module({ providers: [{ provide: REDIS, useFactory: () => new Redis() }], exports: [REDIS] })
export class RedisModule {}
`,
  'src/app.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class AppService {
  getHello(): string {
    return 'Hello World!';
  }
}
`,
  'src/app.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service.js';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(): string {
    return this.appService.getHello();
  }
}
`,
};

function snippets(): Array<{ name: string; code: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => {
    const code = match[1]!;
    const named = /^\/\/ ([\w./-]+)\.ts\n/.exec(code);
    return { name: named ? `${named[1]}.ts` : `snippet-${index + 1}.ts`, code };
  });
}

function withPrelude(code: string): string {
  const imported = new Set(
    [...code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map((n) => n.replace(/\btype\b/, '').trim()),
    ),
  );
  for (const m of code.matchAll(/import\s+(?:type\s+)?(\w+)\s+from/g)) imported.add(m[1]!);
  const declared = new Set([...code.matchAll(/\b(?:class|const|function)\s+(\w+)/g)].map((m) => m[1]!));
  const body = code.replace(/^import .*$/gm, '');
  const lines = Object.entries(PRELUDE)
    .filter(([name]) => !imported.has(name) && !declared.has(name) && new RegExp(`\\b${name}\\b`).test(body))
    .map(([, line]) => line);
  return `${lines.join('\n')}\n${code}\nexport {};\n`;
}

describe('README code blocks', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('every ts block type-checks against the package', () => {
    const blocks = snippets();
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const block of blocks) {
      mkdirSync(dirname(join(OUT, block.name)), { recursive: true });
      writeFileSync(join(OUT, block.name), withPrelude(block.code));
    }
    for (const [name, code] of Object.entries(SCAFFOLD)) {
      if (!existsSync(join(OUT, name))) writeFileSync(join(OUT, name), code);
    }
    const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    const program = ts.createProgram(
      blocks.map((block) => join(OUT, block.name)),
      { ...parsed.options, noEmit: true },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(OUT))
      .map((d) => `${d.file!.fileName.slice(OUT.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 120000);
});
