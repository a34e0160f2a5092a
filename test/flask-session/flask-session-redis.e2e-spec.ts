/**
 * FlaskSessionRedisInterface against a real redis-server, on each platform: the response path
 * (what each request costs and sends), the Redis interface's security rules (a logout sticks,
 * no fixation, destroy() gives a new id), bad input, and an outage.
 */
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  FlaskSessionRedisInterface,
  createSessionConfig,
  Session,
  SessionInterface,
  SessionModule,
  type FlaskSessionRedisInterfaceOptions,
  type RedisSession,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { MsgspecSerializer } from '../../lib/flask-session/index.js';
import { Test } from '@nestjs/testing';
import {
  createApp,
  createPlatformApp,
  PLATFORMS,
  sessionCookieValue,
  setCookies,
  type Platform,
} from '../support/create-app.js';
import { countingClient } from '../support/counting-client.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';
import { describeWithProgram } from '../support/external-program.js';
import { Gate } from '../support/gate.js';

const SECRET_KEY = 'flask-session e2e tests: a key of 48 random bytes';
type Data = Record<string, unknown>;

let gate = new Gate();

@Controller()
class FlaskSessionController {
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
  @Get('/login')
  async login(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    session.set('user_id', 'alice');
    return { id: session.id };
  }
  @Get('/login-without-regenerate')
  loginWithoutRegenerate(@Session() session: RedisSession<Data>) {
    session.set('user_id', 'victim');
    return '';
  }
  @Get('/roles/:roles')
  roles(@Session() session: RedisSession<Data>, @Param('roles') roles: string) {
    session.set('roles', new Set(roles.split(',')));
    return '';
  }
  @Get('/clear')
  clear(@Session() session: RedisSession<Data>) {
    session.clear();
    return '';
  }
  @Get('/logout')
  async logout(@Session() session: RedisSession<Data>) {
    await session.destroy();
    return '';
  }
  @Get('/logout-with-message')
  async logoutWithMessage(@Session() session: RedisSession<Data>) {
    await session.destroy();
    session.set('flash', 'You are logged out.');
    return '';
  }
  @Get('/slow-write')
  async slowWrite(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    session.set('last_seen', 1);
    return { user };
  }
  @Get('/slow-read')
  async slowRead(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    return { user };
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
  'FlaskSessionRedisInterface against a real redis-server',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let server: RedisServer;
    let redis: Redis;
    let msgpack: MsgspecSerializer;
    const apps: INestApplication[] = [];
    const stored = async (id: string) => msgpack.decode((await redis.getBuffer(`session:${id}`))!);

    beforeAll(async () => {
      server = await RedisServer.start();
      redis = new Redis(server.url);
      msgpack = await MsgspecSerializer.create('msgpack');
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      for (const app of apps) await (app.get(SessionInterface) as FlaskSessionRedisInterface).close();
      redis.disconnect();
      await server.stop();
    });

    describe.each(PLATFORMS)('on %s', (platform: Platform) => {
      const startApp = async (
        options: SessionModuleOptions = {},
        ifaceOptions: FlaskSessionRedisInterfaceOptions = {},
      ) => {
        const iface = new FlaskSessionRedisInterface({ url: server.url, commandTimeout: 500, ...ifaceOptions });
        const app = await createApp(
          { SECRET_KEY, sessionInterface: iface, ...options },
          { controllers: [FlaskSessionController] },
          undefined,
          platform,
        );
        apps.push(app);
        return app;
      };

      describe('the response path', () => {
        it('the cookie holds the bare 43-character id; Redis holds msgspec MessagePack with _permanent, for PERMANENT_SESSION_LIFETIME', async () => {
          const app = await startApp({ PERMANENT_SESSION_LIFETIME: 600 });
          const res = await request(app.getHttpServer()).get('/set/color/blue');
          const id = sessionCookieValue(res.headers)!;
          expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
          expect(Buffer.from(id, 'base64url')).toHaveLength(32);
          expect(setCookies(res.headers)[0]).toMatch(/; Expires=/);
          expect((await redis.getBuffer(`session:${id}`))!.toString('hex')).toBe(
            msgpack.encode({ _permanent: true, color: 'blue' }).toString('hex'),
          );
          const ttl = await redis.ttl(`session:${id}`);
          expect(ttl).toBeGreaterThan(590);
          expect(ttl).toBeLessThanOrEqual(600);
        });

        it('SESSION_ID_LENGTH, SESSION_KEY_PREFIX, SESSION_PERMANENT and SESSION_SERIALIZATION_FORMAT from ConfigService strings', async () => {
          const iface = new FlaskSessionRedisInterface({ commandTimeout: 500 });
          const env = {
            SECRET_KEY,
            SESSION_REDIS_URL: server.url,
            SESSION_ID_LENGTH: '48',
            SESSION_KEY_PREFIX: 'flask:',
            SESSION_PERMANENT: 'false',
            SESSION_SERIALIZATION_FORMAT: 'json',
          };
          const moduleRef = await Test.createTestingModule({
            imports: [
              ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] }),
              SessionModule.forRoot({ sessionInterface: iface }),
            ],
            controllers: [FlaskSessionController],
          }).compile();
          const app = await createPlatformApp(moduleRef, platform);
          apps.push(app);
          const res = await request(app.getHttpServer()).get('/set/color/blue');
          const id = sessionCookieValue(res.headers)!;
          expect(Buffer.from(id, 'base64url')).toHaveLength(48);
          expect(setCookies(res.headers)[0]).not.toMatch(/Expires=/);
          expect(await redis.get(`flask:${id}`)).toBe('{"color":"blue"}');
        });

        it('an unmodified session costs one GET and an EXPIRE (SESSION_REFRESH_EACH_REQUEST), a permanent one re-sends its cookie', async () => {
          const client = countingClient(redis);
          const app = await startApp({ PERMANENT_SESSION_LIFETIME: 1000 }, { client });
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/set/a/1')).headers)!;
          await redis.expire(`session:${id}`, 100);
          client.calls.length = 0;
          const res = await request(app.getHttpServer()).get('/nothing').set('Cookie', `session=${id}`);
          expect(client.calls).toEqual(['GET', 'EXPIRE']);
          expect(sessionCookieValue(res.headers)).toBe(id);
          expect(await redis.ttl(`session:${id}`)).toBeGreaterThan(990);
        });

        it('without SESSION_REFRESH_EACH_REQUEST an unmodified session costs one GET and sends nothing', async () => {
          const client = countingClient(redis);
          const app = await startApp({ SESSION_REFRESH_EACH_REQUEST: false }, { client });
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/set/a/1')).headers)!;
          client.calls.length = 0;
          const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${id}`);
          expect(res.body.data).toEqual({ _permanent: true, a: '1' });
          expect(client.calls).toEqual(['GET']);
          expect(setCookies(res.headers)).toEqual([]);
        });

        it('a new session that only holds _permanent is neither stored nor sent', async () => {
          const client = countingClient(redis);
          const app = await startApp({}, { client });
          client.calls.length = 0;
          const res = await request(app.getHttpServer()).get('/read');
          expect(res.body).toMatchObject({ data: { _permanent: true }, new: true });
          expect(client.calls).toEqual([]);
          expect(setCookies(res.headers)).toEqual([]);
        });

        it("clear() keeps _permanent, deletes the entry and the cookie (Flask-Session's logout)", async () => {
          const app = await startApp();
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/set/a/1')).headers)!;
          const res = await request(app.getHttpServer()).get('/clear').set('Cookie', `session=${id}`);
          expect(setCookies(res.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
          expect(await redis.exists(`session:${id}`)).toBe(0);
        });

        it('reads entries in the other format (a Flask app with another SESSION_SERIALIZATION_FORMAT, or a switch)', async () => {
          const app = await startApp({ SESSION_SERIALIZATION_FORMAT: 'json' });
          const id = 'x'.repeat(43);
          await redis.set(`session:${id}`, msgpack.encode({ user_id: 'bob', at: new Date(0) }), 'EX', 60);
          const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${id}`);
          expect(res.body).toEqual({ data: { user_id: 'bob', at: '1970-01-01T00:00:00.000Z' }, id, new: false });
        });
      });

      describe('bad input: a fresh session, never an error', () => {
        it.each([
          ['a tampered id', (id: string) => `${id.slice(0, -1)}${id.endsWith('A') ? 'Q' : 'A'}`],
          ['characters outside base64url', () => 'abc:def'],
          ['an overlong id', () => 'a'.repeat(300)],
          ['a key pattern', () => '*'],
        ])('%s', async (_name, mutate) => {
          const app = await startApp();
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/set/x/1')).headers)!;
          const res = await request(app.getHttpServer())
            .get('/read')
            .set('Cookie', `session=${encodeURIComponent(mutate(id))}`);
          expect(res.status).toBe(200);
          expect(res.body.new).toBe(true);
          expect(res.body.data).toEqual({ _permanent: true });
        });

        it('an entry neither format reads (a pickled Flask-Session < 0.7 session) gives a fresh session, with a warning', async () => {
          const app = await startApp();
          const warnings: string[] = [];
          (app.get(SessionInterface) as FlaskSessionRedisInterface).logger = {
            warn: (message) => warnings.push(message),
            error: () => undefined,
          };
          const id = 'p'.repeat(43);
          await redis.set(
            `session:${id}`,
            Buffer.from('80049510000000000000007d948c0475736572948c05616c69636594732e', 'hex'),
            'EX',
            60,
          );
          const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${id}`);
          expect(res.status).toBe(200);
          expect(res.body.new).toBe(true);
          expect(res.body.id).not.toBe(id);
          expect(warnings).toHaveLength(1);
          expect(warnings[0]).toContain('cannot be decoded');
          expect(warnings[0]).not.toContain(id);
        });

        it('with SESSION_USE_SIGNER, a bare id, a signature by another key or salt is refused', async () => {
          const app = await startApp({ SESSION_USE_SIGNER: true });
          const signed = sessionCookieValue((await request(app.getHttpServer()).get('/set/x/1')).headers)!;
          const id = signed.slice(0, signed.lastIndexOf('.'));
          expect(
            (await request(app.getHttpServer()).get('/read').set('Cookie', `session=${signed}`)).body.data,
          ).toEqual({ _permanent: true, x: '1' });
          for (const bad of [
            id,
            `${id}.${signed.slice(id.length + 1).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
          ]) {
            const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${bad}`);
            expect(res.body.new).toBe(true);
          }
        });

        it('unsigned ids need no SECRET_KEY (as in Flask-Session); signed ones do, and get a null session without it', async () => {
          const unsigned = await startApp({ SECRET_KEY: null });
          const id = sessionCookieValue((await request(unsigned.getHttpServer()).get('/set/x/1')).headers)!;
          expect(
            (await request(unsigned.getHttpServer()).get('/read').set('Cookie', `session=${id}`)).body.data,
          ).toEqual({ _permanent: true, x: '1' });
          expect(
            (unsigned.get(SessionInterface) as FlaskSessionRedisInterface).requiresSecretKey(createSessionConfig()),
          ).toBe(false);
          const signed = await startApp({ SECRET_KEY: null, SESSION_USE_SIGNER: true });
          const res = await request(signed.getHttpServer()).get('/set/x/1');
          expect(res.status).toBe(500);
          expect(setCookies(res.headers)).toEqual([]);
        });

        it('start-up refuses a SESSION_ID_LENGTH under 16 bytes and an unknown SESSION_SERIALIZATION_FORMAT, naming the key', async () => {
          await expect(startApp({ SESSION_ID_LENGTH: 8 })).rejects.toThrow(/SESSION_ID_LENGTH/);
          await expect(startApp({ SESSION_SERIALIZATION_FORMAT: 'pickle' as 'json' })).rejects.toThrow(
            /SESSION_SERIALIZATION_FORMAT/,
          );
        });
      });

      describe('a logout sticks: a request that read the session before it cannot bring it back', () => {
        it.each([
          ['a slow request that writes', '/slow-write'],
          ['a slow request that only refreshes', '/slow-read'],
        ])('%s', async (_name, slowPath) => {
          const app = await startApp();
          const http = app.getHttpServer();
          for (let run = 0; run < 3; run++) {
            gate = new Gate();
            const id = sessionCookieValue((await request(http).get('/login')).headers)!;
            const slow = request(http)
              .get(slowPath)
              .set('Cookie', `session=${id}`)
              .then((res) => res);
            await gate.whenEntered;
            const logout = await request(http).get('/logout').set('Cookie', `session=${id}`);
            expect(setCookies(logout.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
            gate.open();
            const late = await slow;
            expect(late.body).toEqual({ user: 'alice' });
            expect(await redis.exists(`session:${id}`)).toBe(0);
            expect(setCookies(late.headers)).toEqual([]);
            expect((await request(http).get('/read').set('Cookie', `session=${id}`)).body.new).toBe(true);
          }
        });
      });

      describe('ids', () => {
        it('an unknown id is never adopted (no fixation by planting a made-up id)', async () => {
          const app = await startApp();
          const planted = 'A'.repeat(43);
          const res = await request(app.getHttpServer()).get('/set/user_id/alice').set('Cookie', `session=${planted}`);
          const id = sessionCookieValue(res.headers)!;
          expect(id).not.toBe(planted);
          expect(await redis.exists(`session:${planted}`)).toBe(0);
        });

        it('regenerate(): a new id, the data moved, the old entry deleted; a planted id is worthless after login', async () => {
          const app = await startApp();
          const planted = sessionCookieValue((await request(app.getHttpServer()).get('/set/cart/3')).headers)!;
          const login = await request(app.getHttpServer()).get('/login').set('Cookie', `session=${planted}`);
          const id = sessionCookieValue(login.headers)!;
          expect(id).not.toBe(planted);
          expect(await redis.exists(`session:${planted}`)).toBe(0);
          expect(await stored(id)).toEqual({ _permanent: true, cart: '3', user_id: 'alice' });
        });

        it('regenerateOnChange rotates the id when a chosen key changes', async () => {
          const app = await startApp({}, { regenerateOnChange: ['user_id'] });
          const planted = sessionCookieValue((await request(app.getHttpServer()).get('/set/cart/3')).headers)!;
          const same = await request(app.getHttpServer()).get('/set/cart/4').set('Cookie', `session=${planted}`);
          expect(sessionCookieValue(same.headers)).toBe(planted);
          const login = await request(app.getHttpServer())
            .get('/login-without-regenerate')
            .set('Cookie', `session=${planted}`);
          const id = sessionCookieValue(login.headers)!;
          expect(id).not.toBe(planted);
          expect(await redis.exists(`session:${planted}`)).toBe(0);
          expect(await stored(id)).toEqual({ _permanent: true, cart: '4', user_id: 'victim' });
        });

        it('regenerateOnChange compares values as MessagePack stores them (a Set is its array; tagged JSON has no Set)', async () => {
          const app = await startApp({}, { regenerateOnChange: ['roles'] });
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/roles/admin,dev')).headers)!;
          const same = await request(app.getHttpServer()).get('/roles/admin,dev').set('Cookie', `session=${id}`);
          expect(same.status).toBe(200);
          expect(sessionCookieValue(same.headers)).toBe(id);
          const changed = await request(app.getHttpServer()).get('/roles/admin').set('Cookie', `session=${id}`);
          expect(sessionCookieValue(changed.headers)).not.toBe(id);
          expect(await redis.exists(`session:${id}`)).toBe(0);
        });

        it('destroy() then a write: stored under a new id, the destroyed one stays gone', async () => {
          const app = await startApp();
          const id = sessionCookieValue((await request(app.getHttpServer()).get('/login')).headers)!;
          const res = await request(app.getHttpServer()).get('/logout-with-message').set('Cookie', `session=${id}`);
          const next = sessionCookieValue(res.headers)!;
          expect(next).not.toBe(id);
          expect(await redis.exists(`session:${id}`)).toBe(0);
          expect(await stored(next)).toEqual({ _permanent: true, flash: 'You are logged out.' });
        });
      });

      it('Redis paused: a 503 within a bounded time; resumed: the session is intact', async () => {
        const app = await startApp();
        const id = sessionCookieValue((await request(app.getHttpServer()).get('/set/kept/yes')).headers)!;
        server.pause();
        try {
          const started = Date.now();
          const res = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${id}`);
          expect(res.status).toBe(503);
          expect(res.body.message).toContain('session store is unavailable');
          expect(Date.now() - started).toBeLessThan(5000);
        } finally {
          server.resume();
        }
        let ok: request.Response | undefined;
        for (let attempt = 0; attempt < 40; attempt += 1) {
          ok = await request(app.getHttpServer()).get('/read').set('Cookie', `session=${id}`);
          if (ok.status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(ok!.status).toBe(200);
        expect(ok!.body.data).toEqual({ _permanent: true, kept: 'yes' });
      });

      it('200 concurrent requests on 50 sessions: last write wins per session, nothing leaks between sessions', async () => {
        const app = await startApp();
        await app.listen(0, '127.0.0.1');
        const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
        const ids = await Promise.all(
          Array.from({ length: 50 }, async (_, s) =>
            sessionCookieValue((await request(base).get(`/set/owner/s${s}`)).headers)!,
          ),
        );
        await Promise.all(
          ids.flatMap((id, s) =>
            Array.from({ length: 4 }, (_, w) =>
              request(base).get(`/bump/s${s}/${w}`).set('Cookie', `session=${id}`).expect(200),
            ),
          ),
        );
        for (const [s, id] of ids.entries()) {
          const data = await stored(id);
          expect(data.owner).toBe(`s${s}`);
          expect([0, 1, 2, 3]).toContain(data.writer);
          expect(data.n).toBeGreaterThanOrEqual(1);
          expect(data.n).toBeLessThanOrEqual(4);
          expect(Object.keys(data).sort()).toEqual(['_permanent', 'n', 'owner', 'writer']);
        }
      }, 30000);
    });
  },
);
