/**
 * A logout by clear() (Flask's `session.clear(); flash(...)`) or by dropping a login key
 * (Flask-Login's `logout_user()` pops `_user_id` and keeps the rest) sticks against a request
 * that read the session before the logout and saves after it, for RedisSessionInterface and
 * FlaskSessionRedisInterface, on Express and Fastify, against a real redis-server. The logout
 * moves what is left to a new id and deletes the old key, so the late `SET ... XX` finds nothing.
 */
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  flash,
  FlaskSessionRedisInterface,
  RedisSessionInterface,
  Session,
  SessionInterface,
  type RedisSession,
  type FlaskSessionRedisInterfaceOptions,
} from 'nest-flask-session';
import { createApp, PLATFORMS, sessionCookieValue, setCookies, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { Gate } from '../support/gate.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const SECRET_KEY = 'logout in flight tests: a key of 48 random bytes';
type Data = Record<string, unknown>;

let gate = new Gate();

@Controller()
class AccountController {
  /** A login as the sample does it, plus Flask-Login's keys and some data that outlives a logout. */
  @Get('/login')
  async login(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    session.set('user_id', 'alice');
    session.set('_user_id', 'alice');
    session.set('_fresh', true);
    session.set('csrf_token', 'token-1');
    session.set('cart', ['book']);
    return '';
  }
  @Get('/me')
  me(@Session() session: RedisSession<Data>) {
    const data = session.toJSON();
    delete data['_permanent'];
    return { id: session.id, data };
  }
  /** An upload whose body arrives slowly: reads the session, waits, then writes to it. */
  @Get('/slow-write')
  async slowWrite(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    session.set('last_upload', 'report.pdf');
    return { user };
  }
  /** Flask's usual logout: clear() and a flashed message, so the session is not empty. */
  @Get('/logout/clear-and-flash')
  logoutClearAndFlash(@Session() session: RedisSession) {
    session.clear();
    // (flash() is typed for cookie sessions until SessionMixin lands; a RedisSession is one at runtime.)
    flash(session as never, 'You are logged out.');
    return '';
  }
  /** Not a logout: the session keeps its data under a new id, and the old id is dead. */
  @Get('/logout/regenerate')
  async moveToNewId(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    return '';
  }
  /** A logout that sets the login key to null rather than removing it. */
  @Get('/logout/null-user-id')
  logoutNull(@Session() session: RedisSession<Data>) {
    session.set('_user_id', null);
    return '';
  }
  @Get('/logout/destroy')
  async logoutDestroy(@Session() session: RedisSession<Data>) {
    await session.destroy();
    return '';
  }
  /** A logout whose request reads the session, waits, then clears it (and flashes) or drops _user_id. */
  @Get('/slow-logout/:style')
  async slowLogout(@Session() session: RedisSession<Data>, @Param('style') style: string) {
    await gate.pass();
    if (style === 'clear') {
      session.clear();
      session.set('notice', 'You are logged out.');
    } else {
      session.delete('_user_id');
    }
    return '';
  }
  /** clear() alone: the session is empty, so its key is deleted with its cookie. */
  @Get('/logout/clear')
  logoutClear(@Session() session: RedisSession<Data>) {
    session.clear();
    return '';
  }
  /** Flask-Login's logout_user(): pops its keys and keeps the rest (csrf_token, cart). */
  @Get('/logout/flask-login')
  logoutFlaskLogin(@Session() session: RedisSession<Data>) {
    for (const key of ['_user_id', '_fresh', '_id']) session.delete(key);
    return '';
  }
  /** A hand-written logout: pops user_id, keeps the rest. */
  @Get('/logout/pop-user-id')
  logoutPopUserId(@Session() session: RedisSession<Data>) {
    session.pop('user_id', null);
    session.delete('_user_id');
    return '';
  }
  @Get('/set/:key/:value')
  set(@Session() session: RedisSession<Data>, @Param('key') key: string, @Param('value') value: string) {
    session.set(key, value);
    return '';
  }
  @Get('/drop/:key')
  drop(@Session() session: RedisSession<Data>, @Param('key') key: string) {
    session.delete(key);
    return '';
  }
}

const INTERFACES = [
  ['RedisSessionInterface', (options: FlaskSessionRedisInterfaceOptions) => new RedisSessionInterface(options)],
  [
    'FlaskSessionRedisInterface',
    (options: FlaskSessionRedisInterfaceOptions) => new FlaskSessionRedisInterface(options),
  ],
] as const;

describeWithProgram(
  'a logout sticks against a request in flight (real redis-server)',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let server: RedisServer;
    let redis: Redis;
    const apps: INestApplication[] = [];

    beforeAll(async () => {
      server = await RedisServer.start();
      redis = new Redis(server.url);
    });
    // A failed expectation must not leave a request waiting at the gate (app.close() would wait).
    afterEach(() => gate.open());
    afterAll(async () => {
      for (const app of apps) await app.close();
      for (const app of apps) await (app.get(SessionInterface) as RedisSessionInterface).close();
      redis.disconnect();
      await server.stop();
    });

    describe.each(PLATFORMS)('on %s', (platform: Platform) => {
      describe.each(INTERFACES)('%s', (_name, makeInterface) => {
        const startApp = async (options: FlaskSessionRedisInterfaceOptions = {}) => {
          const sessionInterface = makeInterface({ url: server.url, commandTimeout: 1000, ...options });
          const app = await createApp(
            { SECRET_KEY, sessionInterface },
            { controllers: [AccountController] },
            undefined,
            platform,
          );
          apps.push(app);
          return app;
        };
        const cookieOf = (value: string) => `session=${value}`;
        const me = async (app: INestApplication, cookie: string) =>
          (await request(app.getHttpServer()).get('/me').set('Cookie', cookieOf(cookie))).body as {
            id: string;
            data: Data;
          };

        it.each([
          [
            'clear() and a flashed message (Flask’s usual logout)',
            '/logout/clear-and-flash',
            { _flashes: [['message', 'You are logged out.']] },
          ],
          [
            'Flask-Login’s logout_user() (pops _user_id, keeps the rest)',
            '/logout/flask-login',
            { user_id: 'alice', csrf_token: 'token-1', cart: ['book'] },
          ],
          [
            'popping user_id and _user_id, keeping the rest',
            '/logout/pop-user-id',
            { _fresh: true, csrf_token: 'token-1', cart: ['book'] },
          ],
          [
            'setting _user_id to null',
            '/logout/null-user-id',
            { user_id: 'alice', _user_id: null, _fresh: true, csrf_token: 'token-1', cart: ['book'] },
          ],
          [
            'regenerate() (not a logout: the data moves along, the old id dies)',
            '/logout/regenerate',
            { user_id: 'alice', _user_id: 'alice', _fresh: true, csrf_token: 'token-1', cart: ['book'] },
          ],
        ])(
          '%s: the late save finds nothing, what is left lives on under a new id',
          async (_style, logoutPath, left) => {
            const app = await startApp();
            const http = app.getHttpServer();
            gate = new Gate();
            const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
            const { id } = await me(app, cookie);
            expect(await redis.exists(`session:${id}`)).toBe(1);

            // The slow request reads the logged-in session, then waits while the user logs out.
            const slow = request(http)
              .get('/slow-write')
              .set('Cookie', cookieOf(cookie))
              .then((res) => res);
            await gate.whenEntered;
            const logout = await request(http).get(logoutPath).set('Cookie', cookieOf(cookie));
            const next = sessionCookieValue(logout.headers);
            expect(next).toBeDefined();
            const after = await me(app, next!);
            expect(after.id).not.toBe(id);
            expect(after.data).toEqual(left);
            expect(await redis.exists(`session:${id}`)).toBe(0);

            gate.open();
            const late = await slow;
            expect(late.body).toEqual({ user: 'alice' });
            // The late save found the old key gone: nothing came back, no cookie was sent.
            expect(await redis.exists(`session:${id}`)).toBe(0);
            expect(setCookies(late.headers)).toEqual([]);
            expect((await me(app, cookie)).data).toEqual({});
            expect((await me(app, next!)).data).toEqual(left);
          },
        );

        /** Logs in, starts /slow-write, runs the logout while it waits, then lets it save. */
        const logoutDuringSlowWrite = async (app: INestApplication, logoutPath: string) => {
          const http = app.getHttpServer();
          gate = new Gate();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          const { id } = await me(app, cookie);
          const slow = request(http)
            .get('/slow-write')
            .set('Cookie', cookieOf(cookie))
            .then((res) => res);
          await gate.whenEntered;
          const logout = await request(http).get(logoutPath).set('Cookie', cookieOf(cookie));
          gate.open();
          return { id, cookie, logout, late: await slow };
        };

        it('clear() alone: the key is deleted with the cookie, and the late save finds nothing', async () => {
          const app = await startApp();
          const { id, cookie, logout, late } = await logoutDuringSlowWrite(app, '/logout/clear');
          expect(setCookies(logout.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
          expect(setCookies(late.headers)).toEqual([]);
          expect(await redis.exists(`session:${id}`)).toBe(0);
          expect((await me(app, cookie)).data).toEqual({});
        });

        it('logoutKeys: [] — a key-dropping logout keeps the id, and a request in flight writes the login back', async () => {
          const app = await startApp({ logoutKeys: [] });
          const { id, cookie, logout, late } = await logoutDuringSlowWrite(app, '/logout/flask-login');
          expect((await me(app, sessionCookieValue(logout.headers)!)).id).toBe(id);
          expect(late.status).toBe(200);
          // The late SET ... XX found the key (the logout only rewrote it) and restored _user_id.
          expect((await me(app, cookie)).data).toMatchObject({ _user_id: 'alice', last_upload: 'report.pdf' });
        });

        it("logoutKeys: [] with regenerateOnChange: ['_user_id'] — the same logout moves the id, and sticks", async () => {
          const app = await startApp({ logoutKeys: [], regenerateOnChange: ['_user_id'] });
          const { id, cookie, logout, late } = await logoutDuringSlowWrite(app, '/logout/flask-login');
          expect((await me(app, sessionCookieValue(logout.headers)!)).id).not.toBe(id);
          expect(setCookies(late.headers)).toEqual([]);
          expect(await redis.exists(`session:${id}`)).toBe(0);
          expect((await me(app, cookie)).data).toEqual({});
        });

        it('a clear() logout that loses the race to a destroy() keeps only what it wrote after clear(), under a new id', async () => {
          const app = await startApp();
          const http = app.getHttpServer();
          gate = new Gate();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          const { id } = await me(app, cookie);
          const slow = request(http)
            .get('/slow-logout/clear')
            .set('Cookie', cookieOf(cookie))
            .then((res) => res);
          await gate.whenEntered;
          await request(http).get('/logout/destroy').set('Cookie', cookieOf(cookie));
          gate.open();
          const late = await slow;
          const next = sessionCookieValue(late.headers)!;
          expect(next).toBeTruthy();
          expect(await me(app, next)).toEqual({
            id: expect.not.stringMatching(id),
            data: { notice: 'You are logged out.' },
          });
          expect(await redis.exists(`session:${id}`)).toBe(0);
        });

        it('a key-dropping logout that loses the race to a destroy() drops what it read and deletes the cookie', async () => {
          const app = await startApp();
          const http = app.getHttpServer();
          gate = new Gate();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          const { id } = await me(app, cookie);
          const keysBefore = new Set(await redis.keys('session:*'));
          const slow = request(http)
            .get('/slow-logout/pop')
            .set('Cookie', cookieOf(cookie))
            .then((res) => res);
          await gate.whenEntered;
          await request(http).get('/logout/destroy').set('Cookie', cookieOf(cookie));
          gate.open();
          const late = await slow;
          expect(setCookies(late.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
          expect(await redis.exists(`session:${id}`)).toBe(0);
          expect((await redis.keys('session:*')).filter((key) => !keysBefore.has(key))).toEqual([]);
        });

        it('logoutKeys names the login keys: dropping another key keeps the id, dropping a named one moves it', async () => {
          const app = await startApp({ logoutKeys: ['account'] });
          const http = app.getHttpServer();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          await request(http).get('/set/account/alice').set('Cookie', cookieOf(cookie));
          const { id } = await me(app, cookie);
          // user_id is not named here: dropping it is an ordinary write under the same id.
          const kept = await request(http).get('/drop/user_id').set('Cookie', cookieOf(cookie));
          expect((await me(app, sessionCookieValue(kept.headers)!)).id).toBe(id);
          // A named key dropped: a new id, the old key deleted, the rest moved along.
          const moved = await request(http).get('/drop/account').set('Cookie', cookieOf(cookie));
          const after = await me(app, sessionCookieValue(moved.headers)!);
          expect(after.id).not.toBe(id);
          expect(after.data).toEqual({ _user_id: 'alice', _fresh: true, csrf_token: 'token-1', cart: ['book'] });
          expect(await redis.exists(`session:${id}`)).toBe(0);
        });

        it('by default a key that is not a login key (cart) is dropped under the same id', async () => {
          const app = await startApp();
          const http = app.getHttpServer();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          const { id } = await me(app, cookie);
          const res = await request(http).get('/drop/cart').set('Cookie', cookieOf(cookie));
          expect((await me(app, sessionCookieValue(res.headers)!)).id).toBe(id);
          expect(await redis.exists(`session:${id}`)).toBe(1);
        });

        it('logoutKeys: [] turns key-dropping rotation off (clear() still moves the session)', async () => {
          const app = await startApp({ logoutKeys: [] });
          const http = app.getHttpServer();
          const cookie = sessionCookieValue((await request(http).get('/login')).headers)!;
          const { id } = await me(app, cookie);
          const popped = await request(http).get('/logout/flask-login').set('Cookie', cookieOf(cookie));
          expect((await me(app, sessionCookieValue(popped.headers)!)).id).toBe(id);
          const cleared = await request(http).get('/logout/clear-and-flash').set('Cookie', cookieOf(cookie));
          expect((await me(app, sessionCookieValue(cleared.headers)!)).id).not.toBe(id);
          expect(await redis.exists(`session:${id}`)).toBe(0);
        });
      });
    });
  },
);
