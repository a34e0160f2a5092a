import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { programWorks } from '../support/external-program.js';
import { freePort } from '../support/free-port.js';

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

  static async start(): Promise<RedisServer> {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    const server = new RedisServer(child, port);
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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

  pause(): void {
    this.process.kill('SIGSTOP');
  }

  resume(): void {
    this.process.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    this.resume();
    await new Promise<void>((resolve) => {
      this.process.once('exit', () => resolve());
      this.process.kill('SIGTERM');
      setTimeout(() => this.process.kill('SIGKILL'), 3000).unref();
    });
  }
}
