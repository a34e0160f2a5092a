import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { RedisSession, RedisSessionInterface, Session } from 'nest-flask-session';
import { createApp, type Platform } from './create-app.js';
import { envConfig } from './env-config.js';

export const SECRET_KEY = 'a redis topology test key, 32 bytes or more';
/**
 * The command timeout of the apps under test: every 503 must come within it (plus scheduling
 * slack). Half the default, with room for a CI machine busy with other suites.
 */
export const COMMAND_TIMEOUT = 1000;

type Data = Record<string, string>;

@Controller()
class SessionProbeController {
  @Get('/set/:key/:value')
  set(@Session() session: RedisSession<Data>, @Param('key') key: string, @Param('value') value: string) {
    session.set(key, value);
    return { id: session.id };
  }

  @Get('/read')
  read(@Session() session: RedisSession<Data>) {
    return { data: session.toJSON(), id: session.id, new: session.new };
  }
}

export interface Reply {
  status: number;
  /** Milliseconds from sending the request to the full response. */
  ms: number;
  body: { data?: Data; id?: string; new?: boolean; message?: string };
  /** The session cookie set by the response (`session=...`), if any. */
  cookie?: string;
}

/** One Nest instance on a real port, configured from ConfigService strings as a `.env` would be. */
export class SessionNode {
  private constructor(
    readonly app: INestApplication,
    private readonly iface: RedisSessionInterface,
    readonly base: string,
  ) {}

  static async start(platform: Platform, env: Record<string, string>): Promise<SessionNode> {
    const iface = new RedisSessionInterface({ commandTimeout: COMMAND_TIMEOUT });
    const app = await createApp(
      { sessionInterface: iface },
      {
        imports: [envConfig({ SECRET_KEY, ...env })],
        controllers: [SessionProbeController],
      },
      undefined,
      platform,
    );
    await app.listen(0, '127.0.0.1');
    const node = new SessionNode(app, iface, `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    await node.warmUp();
    return node;
  }

  /**
   * The client connects on the first request (to a cluster: every master, after reading the slot
   * map), which may take longer than one command timeout on a busy machine: a 503 then, as
   * documented. Tests start once a session write has gone through.
   */
  private async warmUp(ms = 20000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const reply = await this.get('/set/warm/up');
      if (reply.status === 200) return;
      if (reply.status !== 503 || Date.now() > deadline)
        throw new Error(`the app did not reach Redis: ${reply.status} ${JSON.stringify(reply.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async get(path: string, cookie?: string): Promise<Reply> {
    const started = performance.now();
    const res = await fetch(this.base + path, { headers: cookie ? { cookie } : {} });
    const body = (await res.json()) as Reply['body'];
    const ms = performance.now() - started;
    const cookieLine = res.headers.getSetCookie().find((line) => line.startsWith('session='));
    return { status: res.status, ms, body, cookie: cookieLine?.split(';', 1)[0] };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.iface.close();
  }
}

/** Runs `task` over `items`, `concurrency` at a time, in order. */
export async function inBatches<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

/** The Redis key of a session cookie (`session=<id>.<signature>`), under the default prefix. */
export function keyOf(cookie: string): string {
  return `session:${cookie.slice('session='.length).split('.')[0]}`;
}
