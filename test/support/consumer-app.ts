/**
 * A throwaway Nest app made from a template in test/consumers/templates (shaped like `nest new`'s
 * output for its Nest version), with nest-flask-session installed from `npm pack`'s tarball and
 * README's Quick start and e2e test applied to it as README says (./quick-start.ts). Used by the
 * test/consumers/*.pack-spec.ts files.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyQuickStart } from './quick-start.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

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
/** The generated main.ts's bootstrap (Nest 12's passes `instrument: ObserveInstrument`), on 127.0.0.1. */
const SERVE_SCRIPT = `const { NestFactory } = await import('@nestjs/core');
const { AppModule, ObserveInstrument } = await import('./dist/app.module.js');
const app = await NestFactory.create(AppModule, {
  logger: ['error', 'warn'],
  ...(ObserveInstrument ? { instrument: ObserveInstrument } : {}),
});
await app.listen(Number(process.env.PORT), '127.0.0.1');
`;

/**
 * Where `@nestjs/observe` (wired in by Nest 12's `nest new`) sends telemetry: a closed local
 * port, so the apps never reach the network (the agent drops what it cannot send).
 */
const OBSERVE_ENDPOINT = 'https://127.0.0.1:9';

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
    const generated = { 'src/app.module.ts': readFileSync(join(dir, 'src/app.module.ts'), 'utf8') };
    for (const [path, code] of Object.entries(applyQuickStart(generated, { moduleSystem }))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), code);
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
      const child = spawn(command, args, { cwd: this.dir, env: userEnv({ CI: 'true', OBSERVE_ENDPOINT, ...env }) });
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
  async start(env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
    const port = await freePort();
    writeFileSync(join(this.dir, SERVE), SERVE_SCRIPT);
    const child: ChildProcess = spawn(process.execPath, [SERVE], {
      cwd: this.dir,
      env: userEnv({ OBSERVE_ENDPOINT, ...env, PORT: String(port) }),
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
        return { url, output: () => output, stop };
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
