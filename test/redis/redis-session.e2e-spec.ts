/**
 * RedisSessionInterface end to end against a real redis-server, on Express and Fastify: what the
 * cookie and the store hold, two app instances sharing one store, the commands a request costs,
 * permanent and idle TTLs, unknown and tampered ids, key rotation, regenerate() and destroy(), and
 * a paused server answered with 503.
 */
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  createSessionConfig,
  RedisSession,
  RedisSessionInterface,
  Session,
  SessionInterface,
  type RedisClientLike,
} from 'nest-flask-session';
import { createApp, PLATFORMS, sessionCookieValue, setCookies, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { countingClient } from '../support/counting-client.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const SECRET_KEY = 'redis key';
type Data = Record<string, unknown>;

@Controller()
class RedisController {
  @Get('/set/:key/:value')
  set(@Session() session: RedisSession<Data>, @Param('key') key: string, @Param('value') value: string) {
    session.set(key, value);
    return session.toJSON();
  }
  @Get('/read')
  read(@Session() session: RedisSession<Data>) {
    return { data: session.toJSON(), id: session.id, new: session.new };
  }
  @Get('/nothing')
  nothing() {
    return 'nothing';
  }
  @Get('/remember')
  remember(@Session() session: RedisSession<Data>) {
    session.permanent = true;
    session.set('remembered', true);
    return '';
  }
  @Get('/login')
  async login(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    session.set('user', 'alice');
    return { id: session.id };
  }
  @Get('/logout')
  async logout(@Session() session: RedisSession<Data>) {
    await session.destroy();
    return '';
  }
  @Get('/bump/:owner/:writer')
  async bump(@Session() session: RedisSession<Data>, @Param('owner') owner: string, @Param('writer') writer: string) {
    const n = ((session.get('n') as number | undefined) ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    session.update({ owner, writer: Number(writer), n });
    return { n };
  }
}

describeWithProgram(
  'RedisSessionInterface against a real redis-server',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let server: RedisServer;
    let redis: Redis;
    const apps: INestApplication[] = [];

    const startOn = async (platform: Platform, options: Record<string, unknown> = {}, client?: RedisClientLike) => {
      const iface = new RedisSessionInterface(client ? { client, commandTimeout: 500 } : { commandTimeout: 500 });
      const app = await createApp(
        { SECRET_KEY, SESSION_REDIS_URL: server.url, sessionInterface: iface, ...options },
        { controllers: [RedisController] },
        undefined,
        platform,
      );
      apps.push(app);
      return { app, iface };
    };

    beforeAll(async () => {
      server = await RedisServer.start();
      redis = new Redis(server.url);
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      for (const app of apps) await (app.get(SessionInterface) as RedisSessionInterface).close();
      redis.disconnect();
      await server.stop();
    });

    describe.each(PLATFORMS)('on %s', (platform) => {
      const startApp = (options: Record<string, unknown> = {}, client?: RedisClientLike) =>
        startOn(platform, options, client);
      it('the cookie holds only a signed 256-bit id; the data is tagged JSON in Redis with the idle TTL', async () => {
        const { app } = await startApp({ SESSION_IDLE_TIMEOUT: 600 });
        const res = await request(app.getHttpServer()).get('/set/color/blue');
        const cookie = sessionCookieValue(res.headers)!;
        const [id] = cookie.split('.');
        expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(id!, 'base64url')).toHaveLength(32);
        expect(await redis.get(`session:${id}`)).toBe('{"color":"blue"}');
        const ttl = await redis.ttl(`session:${id}`);
        expect(ttl).toBeGreaterThan(590);
        expect(ttl).toBeLessThanOrEqual(600);
      });

      it('two app instances share one Redis: a session created on one is read and modified on the other', async () => {
        const { app: one } = await startApp();
        const { app: two } = await startApp();
        await one.listen(0, '127.0.0.1');
        await two.listen(0, '127.0.0.1');
        const portOne = (one.getHttpServer().address() as AddressInfo).port;
        const portTwo = (two.getHttpServer().address() as AddressInfo).port;
        expect(portOne).not.toBe(portTwo);
        const created = await request(`http://127.0.0.1:${portOne}`).get('/set/a/1');
        const cookie = `session=${sessionCookieValue(created.headers)}`;
        const modified = await request(`http://127.0.0.1:${portTwo}`).get('/set/b/2').set('Cookie', cookie);
        expect(modified.body).toEqual({ a: '1', b: '2' });
        const read = await request(`http://127.0.0.1:${portOne}`).get('/read').set('Cookie', cookie);
        expect(read.body.data).toEqual({ a: '1', b: '2' });
      });

      it('an unmodified session costs one GET and no write; a route that never touches it, the same', async () => {
        const client = countingClient(redis);
        const { app } = await startApp({}, client);
        const cookie = `session=${sessionCookieValue((await request(app.getHttpServer()).get('/set/a/1')).headers)}`;
        client.calls.length = 0;
        const res = await request(app.getHttpServer()).get('/read').set('Cookie', cookie);
        expect(res.body.data).toEqual({ a: '1' });
        expect(setCookies(res.headers)).toEqual([]);
        expect(client.calls).toEqual(['GET']);
        client.calls.length = 0;
        await request(app.getHttpServer()).get('/nothing').set('Cookie', cookie);
        expect(client.calls).toEqual(['GET']);
      });

      it('a permanent session gets PERMANENT_SESSION_LIFETIME as TTL, refreshed with EXPIRE on each request', async () => {
        const client = countingClient(redis);
        const { app } = await startApp({ PERMANENT_SESSION_LIFETIME: 1000 }, client);
        const res = await request(app.getHttpServer()).get('/remember');
        const cookie = sessionCookieValue(res.headers)!;
        const key = `session:${cookie.split('.')[0]}`;
        expect(setCookies(res.headers)[0]).toContain('Expires=');
        expect(await redis.ttl(key)).toBeGreaterThan(990);
        await redis.expire(key, 100);
        client.calls.length = 0;
        const again = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${cookie}`);
        expect(client.calls).toEqual(['GET', 'EXPIRE']);
        expect(setCookies(again.headers)).toHaveLength(1);
        expect(await redis.ttl(key)).toBeGreaterThan(990);
      });

      it('no TTL refresh when SESSION_REFRESH_EACH_REQUEST is off', async () => {
        const client = countingClient(redis);
        const { app } = await startApp({ SESSION_REFRESH_EACH_REQUEST: false }, client);
        const cookie = sessionCookieValue((await request(app.getHttpServer()).get('/remember')).headers)!;
        client.calls.length = 0;
        await request(app.getHttpServer()).get('/read').set('Cookie', `session=${cookie}`);
        expect(client.calls).toEqual(['GET']);
      });

      it('an unknown or expired id is never adopted; a tampered id cookie is rejected', async () => {
        const { app, iface } = await startApp();
        const config = createSessionConfig({ SECRET_KEY });
        const planted = iface.newId();
        const signedUnknown = (iface as unknown as { getSigners(c: unknown): { current: { sign(v: string): string } } })
          .getSigners(config)
          .current.sign(planted);
        const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${signedUnknown}`);
        expect(res.body.new).toBe(true);
        expect(res.body.id).not.toBe(planted);
        const good = sessionCookieValue((await request(app.getHttpServer()).get('/set/x/1')).headers)!;
        const [id, sig] = good.split('.') as [string, string];
        // Change the last character for sure: ids and signatures are random, and may end in 'A'.
        const changeLast = (text: string): string => `${text.slice(0, -1)}${text.endsWith('A') ? 'Q' : 'A'}`;
        for (const bad of [`${id}.${changeLast(sig)}`, `${changeLast(id)}.${sig}`, id, 'garbage']) {
          const opened = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${bad}`);
          expect(opened.status).toBe(200);
          expect(opened.body.data).toEqual({});
          expect(opened.body.new).toBe(true);
        }
      });

      it('SECRET_KEY_FALLBACKS rotation works for the id cookie', async () => {
        const { app: old } = await startApp({ SECRET_KEY: 'old redis key' });
        const { app: rotated } = await startApp({
          SECRET_KEY: 'new redis key',
          SECRET_KEY_FALLBACKS: ['old redis key'],
        });
        const cookie = `session=${sessionCookieValue((await request(old.getHttpServer()).get('/set/k/v')).headers)}`;
        expect((await request(rotated.getHttpServer()).get('/read').set('Cookie', cookie)).body.data).toEqual({
          k: 'v',
        });
      });

      it('regenerate: a new id, the same data, the old key deleted; destroy: key and cookie gone', async () => {
        const { app } = await startApp();
        const agent = request.agent(app.getHttpServer());
        await agent.get('/set/cart/3');
        const before = (await agent.get('/read')).body as { id: string };
        const login = await agent.get('/login');
        expect(login.body.id).not.toBe(before.id);
        expect(await redis.exists(`session:${before.id}`)).toBe(0);
        expect(JSON.parse((await redis.get(`session:${login.body.id}`))!)).toEqual({ cart: '3', user: 'alice' });
        const logout = await agent.get('/logout');
        expect(setCookies(logout.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
        expect(await redis.exists(`session:${login.body.id}`)).toBe(0);
      });

      it('Redis paused: a 503 with a clear message within a bounded time; resumed: the session data is intact', async () => {
        const { app } = await startApp();
        const cookie = `session=${sessionCookieValue((await request(app.getHttpServer()).get('/set/kept/yes')).headers)}`;
        server.pause();
        try {
          const started = Date.now();
          const res = await request(app.getHttpServer()).get('/read').set('Cookie', cookie);
          const elapsed = Date.now() - started;
          expect(res.status).toBe(503);
          expect(res.body.message).toContain('session store is unavailable');
          expect(elapsed).toBeLessThan(5000);
        } finally {
          server.resume();
        }
        let ok: request.Response | undefined;
        for (let attempt = 0; attempt < 40; attempt += 1) {
          ok = await request(app.getHttpServer()).get('/read').set('Cookie', cookie);
          if (ok.status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(ok!.status).toBe(200);
        expect(ok!.body.data).toEqual({ kept: 'yes' });
      });

      it('200 concurrent requests on 50 sessions: last write wins per session, nothing leaks between sessions', async () => {
        const { app } = await startApp();
        await app.listen(0, '127.0.0.1');
        const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
        const cookies = await Promise.all(
          Array.from(
            { length: 50 },
            async (_, s) => `session=${sessionCookieValue((await request(base).get(`/set/owner/s${s}`)).headers)}`,
          ),
        );
        await Promise.all(
          cookies.flatMap((cookie, s) =>
            Array.from({ length: 4 }, (_, w) =>
              request(base).get(`/bump/s${s}/${w}`).set('Cookie', cookie).expect(200),
            ),
          ),
        );
        for (const [s, cookie] of cookies.entries()) {
          const stored = JSON.parse(
            (await redis.get(`session:${cookie.slice('session='.length).split('.')[0]}`))!,
          ) as Data;
          // Each request read n=0 or a later value, and wrote its whole session: the stored value
          // is exactly one request's write, for this session's owner.
          expect(stored.owner).toBe(`s${s}`);
          expect([0, 1, 2, 3]).toContain(stored.writer);
          expect(stored.n).toBeGreaterThanOrEqual(1);
          expect(stored.n).toBeLessThanOrEqual(4);
          expect(Object.keys(stored).sort()).toEqual(['n', 'owner', 'writer']);
        }
      }, 30000);
    });
  },
);
