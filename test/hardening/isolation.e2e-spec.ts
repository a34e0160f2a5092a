/**
 * No state is shared between requests: 1,000 concurrent clients (ISOLATION_CLIENTS; `npm run
 * test:fast` uses fewer), each with its own session and counter, all hammering one app. Every client's counter must come out exactly right and no
 * client may ever see another client's data. Bounded in count and time.
 */
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { SecureCookieSession, Session } from 'nest-flask-session';
import { cookieInterface, PLATFORM_COOKIE_INTERFACES } from '../support/cookie-interfaces.js';
import { createApp } from '../support/create-app.js';
import { rawClient } from '../support/http-client.js';

const CLIENTS = Number(process.env.ISOLATION_CLIENTS ?? 1000);
const ROUNDS = 3;

@Controller()
class CounterController {
  @Get('/hit/:client')
  async hit(@Session() session: SecureCookieSession<{ client?: string; n?: number }>, @Param('client') client: string) {
    const owner = session.get('client') ?? client;
    // Yield between read and write so concurrent requests interleave inside the app.
    await new Promise((resolve) => setImmediate(resolve));
    const n = (session.get('n') ?? 0) + 1;
    session.update({ client: owner, n });
    return { owner, n };
  }
}

describe.each(PLATFORM_COOKIE_INTERFACES)('isolation under concurrency on %s with %s cookies', (platform, kind) => {
  let app: INestApplication;
  let client: Awaited<ReturnType<typeof rawClient>>;
  beforeAll(async () => {
    app = await createApp(
      { SECRET_KEY: 'isolation key', ...cookieInterface(kind).option },
      { controllers: [CounterController] },
      undefined,
      platform,
    );
    client = await rawClient(app, 256);
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it(`${CLIENTS} concurrent clients keep their own counters`, async () => {
    const jars = new Map<number, string | undefined>();
    const seen: Array<{ client: number; owner: string; n: number }> = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, id) => {
          const res = await client.get(`/hit/c${id}`, jars.get(id));
          expect(res.status).toBe(200);
          const setCookie = res.headers['set-cookie'] as string[] | undefined;
          jars.set(id, setCookie?.[0]?.split(';', 1)[0]);
          const body = JSON.parse(res.body) as { owner: string; n: number };
          seen.push({ client: id, ...body });
        }),
      );
    }
    expect(seen).toHaveLength(CLIENTS * ROUNDS);
    for (const entry of seen) expect(entry.owner).toBe(`c${entry.client}`);
    const finals = new Map<number, number>();
    for (const entry of seen) finals.set(entry.client, Math.max(finals.get(entry.client) ?? 0, entry.n));
    expect([...finals.values()].every((n) => n === ROUNDS)).toBe(true);
  }, 60000);
});
