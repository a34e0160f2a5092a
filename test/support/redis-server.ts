import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { describeWithProgram, programWorks } from './external-program.js';
import { freePort } from './free-port.js';

export const redisInstalled = programWorks('redis-server', ['--version']);

/** A throwaway redis-server on 127.0.0.1, no persistence; stopped by its PID. */
export class RedisServer {
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A plain server; `args` adds redis-server options (for example `['--replicaof', '127.0.0.1', '6379']`). */
  static async start(args: string[] = [], port?: number): Promise<RedisServer> {
    port ??= await freePort();
    return RedisServer.spawn(
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...args],
      port,
    );
  }

  /** `redis-server ...argv`, once it answers PING on `port` (a sentinel too: `[configFile, '--sentinel']`). */
  static async spawn(argv: string[], port: number): Promise<RedisServer> {
    const child = spawn('redis-server', argv, { stdio: 'ignore' });
    const server = new RedisServer(child, port);
    const probe = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {}); // refused until the server is up: expected while polling
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return server;
      } catch (error) {
        probe.disconnect();
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`redis-server did not answer on port ${port}: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** True between pause() and resume(). */
  paused = false;

  pause(): void {
    this.process.kill('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.process.kill('SIGCONT');
    this.paused = false;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    this.resume();
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => this.process.kill('SIGKILL'), 3000);
      this.process.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      this.process.kill('SIGTERM');
    });
  }
}

/** A redis-server started before the enclosing suite's tests and stopped after them. */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the redis-server starts in beforeAll; use it inside a hook or test');
    return server;
  };
}

/**
 * `body` against a redis-server of its own, given its URL; when redis-server is missing this fails
 * under CI=true and is skipped elsewhere (describeWithProgram).
 */
export function describeWithRedis(title: string, body: (redisUrl: () => string) => void): void {
  describeWithProgram(title, redisInstalled, 'apt-get install -y redis-server', () => {
    const server = useRedisServer();
    body(() => server().url);
  });
}
