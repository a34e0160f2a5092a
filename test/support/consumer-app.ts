/**
 * A throwaway Nest app made from a template in ./templates (shaped like `nest new`'s output for
 * its Nest version), with nest-flask-session installed from `npm pack`'s tarball and README's Quick
 * start and e2e test added to it the way README says. Used by the *.pack-spec.ts files here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** README's files for an app: the Quick start's two files and the "Testing your app" e2e test. */
const README_FILES = ['src/app.module.ts', 'src/cart.controller.ts', 'test/session.e2e-spec.ts'];

/** A ```ts block of README.md whose first line is `// <path>`. */
export function readmeFile(path: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((code) => code.startsWith(`// ${path}\n`));
  if (block === undefined) throw new Error(`README.md has no \`// ${path}\` block`);
  return block;
}

/** What README tells a CommonJS app to change: relative imports without the `.js` extension. */
const withoutJsExtensions = (code: string) => code.replace(/(from '\.{1,2}\/[^']*)\.js'/g, "$1'");

/**
 * The variables npm sets for the `npm test` running us (the repository as prefix, its package and
 * script), which would point the apps' npm at the repository. The user's own npm settings
 * (registry, cache, proxy) stay.
 */
const NPM_SCRIPT_ENV =
  /^(npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global_prefix|user_agent|npm_version)$)|INIT_CWD$)/i;

/** The environment of a user's shell, plus `extra`. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NPM_SCRIPT_ENV.test(key)));
  return { ...env, ...extra };
}

/** Colours in runners' output (Vitest colours it even when piped). */
const ANSI_ESCAPES = /\u001b\[[0-9;]*m/g;

const SERVE = '.consumer-serve.mjs';
const SERVE_SCRIPT = `const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import('./dist/app.module.js');
const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
await app.listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface CommandResult {
  code: number;
  /** stdout and stderr as they came, without colours. */
  output: string;
  stdout: string;
}

export class ConsumerApp {
  private constructor(
    readonly template: string,
    readonly dir: string,
  ) {}

  /** Packs the package (built by `npm run build`), copies the template and installs both. */
  static async create(template: string, { moduleSystem }: { moduleSystem: 'commonjs' | 'esm' }): Promise<ConsumerApp> {
    const work = mkdtempSync(join(tmpdir(), `nfs-${template}-`));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env: userEnv() });
    const tarball = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
    const dir = join(work, 'app');
    cpSync(join(ROOT, 'test/consumers/templates', template), dir, { recursive: true });
    for (const path of README_FILES) {
      const code = readmeFile(path);
      writeFileSync(join(dir, path), moduleSystem === 'commonjs' ? withoutJsExtensions(code) : code);
    }
    const app = new ConsumerApp(template, dir);
    // ioredis: the optional peer the templates' Redis e2e test needs.
    const install = await app.exec('npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball,
      'ioredis@^5',
    ]);
    if (install.code !== 0) throw new Error(`npm install failed in ${dir}:\n${install.output}`);
    return app;
  }

  /** Runs a command in the app; never rejects, so a test can show the output when it fails. */
  exec(command: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: this.dir, env: userEnv({ CI: 'true', ...env }) });
      let output = '';
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, output: output.replace(ANSI_ESCAPES, ''), stdout }));
    });
  }

  /**
   * Starts the built AppModule as the generated main.ts does, but on 127.0.0.1 and a free port
   * (main.ts listens on every interface); loading dist/app.module.js goes through the app's own
   * module system, so a CommonJS app require()s the package. `stop()` ends it.
   */
  async start(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
    const port = await freePort();
    writeFileSync(join(this.dir, SERVE), SERVE_SCRIPT);
    const child: ChildProcess = spawn(process.execPath, [SERVE], {
      cwd: this.dir,
      env: userEnv({ ...env, PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
      if (
        await fetch(`${url}/`).then(
          () => true,
          () => false,
        )
      )
        return { url, stop };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop();
    throw new Error(`the app did not listen on ${url}:\n${output}`);
  }

  /** Names of the files under dist/ (to check what tsc built). */
  built(): string[] {
    return readdirSync(join(this.dir, 'dist'), { recursive: true }).map(String);
  }

  remove(): void {
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
