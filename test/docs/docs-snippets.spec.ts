/**
 * Every TypeScript block of README.md and docs/**\/*.md compiles against the package, in one
 * program with the repository's compiler options.
 *
 * - README's Quick start is applied, as README says, to the files `nest new` generates (the
 *   consumer templates' `src/`): to Nest 12's ES module app (with its `@nestjs/observe` wiring) and
 *   to Nest 11's CommonJS app, each with README's e2e test; README's Fastify `main.ts` replaces
 *   Nest 12's. Blocks of a docs page marked `// src/...` or `// test/...` go into a copy of that
 *   Quick-start app, so their relative imports (`../src/app.module.js`) resolve.
 * - Any other block is a file of its own directory, or, when a `// name.ts` marker line names
 *   it, a file of one directory shared by the page's named blocks (a recipe's files import each
 *   other). Names a fragment uses without importing get an import or a declaration from PRELUDE;
 *   a relative import of one of the reader's own modules the examples assume (an audit service, a
 *   Redis client provider) gets the small module in SCAFFOLD.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { codeBlocks, markdownFiles, readMarkdown, ROOT } from '../support/markdown.js';
import {
  applyExcerpt,
  applyQuickStart,
  inModuleSystem,
  type AppFiles,
  type ModuleSystem,
} from '../support/quick-start.js';

const OUT = join(ROOT, 'test/docs/.snippets');
const TEMPLATES = join(ROOT, 'test/consumers/templates');

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
  SessionMixin: "import type { SessionMixin } from 'nest-flask-session';",
  RedisSessionInterface: "import { RedisSessionInterface } from 'nest-flask-session';",
  Redis: "import type { Redis } from 'ioredis';",
  request: "import request from 'supertest';",
  app: "declare const app: import('@nestjs/common').INestApplication;",
  SECRET_KEY: 'declare const SECRET_KEY: string;',
};

const SCAFFOLD: Record<string, string> = {
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
};

/** The `src/` files of a consumer template: what `nest new` generated. */
function generatedApp(template: string): AppFiles {
  const dir = join(TEMPLATES, template, 'src');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
      .map((name) => [`src/${name}`, readFileSync(join(dir, name), 'utf8')]),
  );
}

const APPS: Array<{ name: string; template: string; moduleSystem: ModuleSystem; platform: 'express' | 'fastify' }> = [
  { name: 'nest12-esm', template: 'nest12-esm-vitest', moduleSystem: 'esm', platform: 'fastify' },
  { name: 'nest11-cjs', template: 'nest11-cjs-jest', moduleSystem: 'commonjs', platform: 'express' },
];

const MARKER = /^\/\/ ([\w./-]+\.ts)(?: \((excerpt|Fastify)\))?\n/;

function withPrelude(code: string): string {
  const imported = new Set(
    [...code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map((n) => n.replace(/\btype\b/, '').trim()),
    ),
  );
  for (const m of code.matchAll(/import\s+(?:type\s+)?(\w+)\s+from/g)) imported.add(m[1]!);
  const declared = new Set([...code.matchAll(/\b(?:class|const|function|let)\s+(\w+)/g)].map((m) => m[1]!));
  const body = code.replace(/^import .*$/gm, '');
  const lines = Object.entries(PRELUDE)
    .filter(([name]) => !imported.has(name) && !declared.has(name) && new RegExp(`\\b${name}\\b`).test(body))
    .map(([, line]) => line);
  const isModule = /^\s*(import|export)\s/m.test(code);
  return `${lines.join('\n')}\n${code}${isModule ? '' : '\nexport {};\n'}`;
}

function write(path: string, code: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return path;
}

/** Writes the snippet files; returns their paths and where each came from. */
function writeSnippets(): Map<string, string> {
  const files = new Map<string, string>();
  const readme = readMarkdown('README.md');
  const documents = markdownFiles().filter((path) => path === 'README.md' || path.startsWith('docs/'));
  const appBlocks = (path: string) =>
    codeBlocks(readMarkdown(path)).filter((b) => b.lang === 'ts' && /^\/\/ (src|test)\//.test(b.code));

  for (const { name, template, moduleSystem, platform } of APPS) {
    const base = applyQuickStart(generatedApp(template), { moduleSystem, platform, readme });
    for (const document of documents) {
      const extra = document === 'README.md' ? [] : appBlocks(document);
      if (document !== 'README.md' && extra.length === 0) continue;
      const app: AppFiles = { ...base };
      for (const block of extra) {
        const [, path, qualifier] = MARKER.exec(block.code)!;
        if (qualifier === 'excerpt') app[path!] = applyExcerpt(app[path!] ?? '', block.code, moduleSystem);
        else if (qualifier !== 'Fastify' || platform === 'fastify')
          app[path!] = inModuleSystem(block.code, moduleSystem);
      }
      const dir = join(OUT, `${document.replace(/\W+/g, '-')}-app-${name}`);
      if (moduleSystem === 'commonjs') write(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
      for (const [path, code] of Object.entries(app))
        files.set(write(join(dir, path), code), `${document} (Quick-start app, ${name})`);
    }
  }

  for (const document of documents) {
    // Named blocks of one page are files of one project (a recipe's module imports its resolver),
    // unless two blocks take the same name.
    const shared = join(OUT, `${document.replace(/\W+/g, '-')}-files`);
    const taken = new Set<string>();
    codeBlocks(readMarkdown(document))
      .filter((block) => block.lang === 'ts' && !/^\/\/ (src|test)\//.test(block.code))
      .forEach((block) => {
        const named = MARKER.exec(block.code);
        const together = named !== null && !taken.has(named[1]!);
        if (together) taken.add(named[1]!);
        const dir = together ? shared : join(OUT, `${document.replace(/\W+/g, '-')}-${block.line}`);
        const path = write(join(dir, named ? named[1]! : 'snippet.ts'), withPrelude(block.code));
        files.set(path, `${document}:${block.line}`);
        for (const m of block.code.matchAll(/from '\.\/([\w-.]+)\.js'/g)) {
          const scaffold = SCAFFOLD[`${m[1]}.ts`];
          if (scaffold) write(join(dir, `${m[1]}.ts`), scaffold);
        }
      });
  }
  return files;
}

describe('TypeScript blocks of README.md and docs/', () => {
  afterAll(() => process.env.KEEP_SNIPPETS || rmSync(OUT, { recursive: true, force: true }));

  it('README has the Quick start, its Fastify main.ts and its e2e test, and docs/ has pages with code', () => {
    const readme = codeBlocks(readMarkdown('README.md')).map((b) => b.code.split('\n', 1)[0]);
    expect(readme).toEqual(
      expect.arrayContaining([
        '// src/cart.controller.ts',
        '// src/app.module.ts (excerpt)',
        '// src/main.ts (Fastify)',
        '// test/session.e2e-spec.ts',
      ]),
    );
    const docs = markdownFiles().filter((path) => path.startsWith('docs/'));
    const withCode = docs.filter((path) => codeBlocks(readMarkdown(path)).some((b) => b.lang === 'ts'));
    expect(withCode.length).toBeGreaterThanOrEqual(7);
  });

  it('every block type-checks against the package', () => {
    rmSync(OUT, { recursive: true, force: true });
    const files = writeSnippets();
    const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    const program = ts.createProgram([...files.keys()], { ...parsed.options, noEmit: true, incremental: false });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(OUT))
      .map((d) => {
        const file = d.file!;
        const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0);
        const origin = files.get(file.fileName) ?? 'scaffold';
        return `${origin} → ${file.fileName.slice(OUT.length + 1)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 180000);
});
