/**
 * Security review items 2–4 against a real redis-server: session fixation, a logout undone by a
 * request in flight, and destroy() keeping the id.
 */
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  RedisSession,
  RedisSessionInterface,
  Session,
  SessionInterface,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { createSampleApp } from '../../sample/src/app.factory.js';
import { createApp, PLATFORMS, sessionCookieValue, setCookies, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { Gate } from '../support/gate.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const SECRET_KEY = 'redis security tests: a key of 48 random bytes..';
type Data = Record<string, unknown>;

let gate = new Gate();

@Controller()
class AccountController {
  @Get('/login')
  async login(@Session() session: RedisSession<Data>) {
    await session.regenerate();
    session.set('user_id', 'alice');
    return '';
  }
  @Get('/login-without-regenerate')
  loginWithoutRegenerate(@Session() session: RedisSession<Data>) {
    session.set('user_id', 'mallory-victim');
    return '';
  }
  @Get('/remember')
  remember(@Session() session: RedisSession<Data>) {
    session.permanent = true;
    session.set('user_id', 'alice');
    return '';
  }
  @Get('/cart')
  cart(@Session() session: RedisSession<Data>) {
    session.set('cart', ['book']);
    return '';
  }
  @Get('/me')
  me(@Session() session: RedisSession<Data>) {
    return { user: session.get('user_id') ?? null, id: session.id };
  }
  @Get('/slow-write')
  async slowWrite(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    session.set('last_seen', Date.now());
    return { user };
  }
  /** Changes a key watched by regenerateOnChange after the gate, or calls regenerate() itself. */
  @Get('/slow-promote/:how')
  async slowPromote(@Session() session: RedisSession<Data>, @Param('how') how: string) {
    const user = session.get('user_id');
    await gate.pass();
    if (how === 'regenerate') await session.regenerate();
    session.set('role', 'admin');
    return { user };
  }
  @Get('/slow-read')
  async slowRead(@Session() session: RedisSession<Data>) {
    const user = session.get('user_id');
    await gate.pass();
    return { user };
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
}

describeWithProgram(
  'Redis session security (real redis-server)',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let server: RedisServer;
    let redis: Redis;
    const apps: INestApplication[] = [];

    const startOn = async (
      platform: Platform,
      options: SessionModuleOptions = {},
      ifaceOptions: ConstructorParameters<typeof RedisSessionInterface>[0] = {},
    ) => {
      const iface = new RedisSessionInterface({ url: server.url, commandTimeout: 1000, ...ifaceOptions });
      const app = await createApp(
        { SECRET_KEY, sessionInterface: iface, ...options },
        { controllers: [AccountController] },
        undefined,
        platform,
      );
      apps.push(app);
      return app;
    };
    const idOf = (cookie: string) => cookie.split('.')[0]!;

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
      const startApp = (
        options?: SessionModuleOptions,
        ifaceOptions?: ConstructorParameters<typeof RedisSessionInterface>[0],
      ) => startOn(platform, options, ifaceOptions);
      describe('a logout sticks: a request that read the session before it cannot bring it back', () => {
        it.each([
          ['a slow request that writes', '/slow-write', '/login'],
          ['a slow request that only refreshes a permanent session', '/slow-read', '/remember'],
        ])('%s', async (_name, slowPath, loginPath) => {
          const app = await startApp();
          const server = app.getHttpServer();
          for (let run = 0; run < 5; run++) {
            gate = new Gate();
            const cookie = sessionCookieValue((await request(server).get(loginPath)).headers)!;
            const key = `session:${idOf(cookie)}`;
            expect(await redis.exists(key)).toBe(1);
            // The slow request reads the session, then waits while the user logs out.
            const slow = request(server)
              .get(slowPath)
              .set('Cookie', `session=${cookie}`)
              .then((res) => res);
            await gate.whenEntered;
            const logout = await request(server).get('/logout').set('Cookie', `session=${cookie}`);
            expect(setCookies(logout.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
            expect(await redis.exists(key)).toBe(0);
            gate.open();
            const late = await slow;
            expect(late.body).toEqual({ user: 'alice' });
            // The late save found the session gone: no key came back, no cookie was sent.
            expect(await redis.exists(key)).toBe(0);
            expect(setCookies(late.headers)).toEqual([]);
            // A copy of the cookie (stolen, or another tab) is logged out.
            expect((await request(server).get('/me').set('Cookie', `session=${cookie}`)).body.user).toBeNull();
          }
        });
      });

      describe('a logout sticks through a new id too (regenerate() or regenerateOnChange in the late request)', () => {
        it.each([
          ['regenerateOnChange', 'watch'],
          ['regenerate()', 'regenerate'],
        ])('%s', async (_name, how) => {
          const app = await startApp({}, { regenerateOnChange: ['user_id', 'role'] });
          const server = app.getHttpServer();
          gate = new Gate();
          const cookie = sessionCookieValue((await request(server).get('/login')).headers)!;
          const keysBefore = new Set(await redis.keys('session:*'));
          const slow = request(server)
            .get(`/slow-promote/${how}`)
            .set('Cookie', `session=${cookie}`)
            .then((res) => res);
          await gate.whenEntered;
          await request(server).get('/logout').set('Cookie', `session=${cookie}`);
          gate.open();
          const late = await slow;
          expect(late.body).toEqual({ user: 'alice' });
          // Nothing read before the logout came back, under its id or a new one.
          expect(await redis.exists(`session:${idOf(cookie)}`)).toBe(0);
          const created = (await redis.keys('session:*')).filter((key) => !keysBefore.has(key));
          const values = await Promise.all(created.map((key) => redis.get(key)));
          expect(values.filter((value) => value?.includes('alice'))).toEqual([]);
          const sent = sessionCookieValue(late.headers);
          if (sent) expect((await request(server).get('/me').set('Cookie', `session=${sent}`)).body.user).toBeNull();
        });
      });

      describe('destroy() gives the session a new id', () => {
        it('a write after destroy() is stored under a new id, and the destroyed id stays gone', async () => {
          const app = await startApp();
          const cookie = sessionCookieValue((await request(app.getHttpServer()).get('/login')).headers)!;
          const res = await request(app.getHttpServer()).get('/logout-with-message').set('Cookie', `session=${cookie}`);
          const next = sessionCookieValue(res.headers)!;
          expect(idOf(next)).not.toBe(idOf(cookie));
          expect(await redis.exists(`session:${idOf(cookie)}`)).toBe(0);
          expect(await redis.get(`session:${idOf(next)}`)).toBe('{"flash":"You are logged out."}');
          expect(
            (await request(app.getHttpServer()).get('/me').set('Cookie', `session=${cookie}`)).body.user,
          ).toBeNull();
        });
      });

      describe('session fixation', () => {
        it('regenerate() at login: an id planted before login does not become the logged-in session', async () => {
          const app = await startApp();
          const server = app.getHttpServer();
          // The attacker gets a stored session of their own and plants its cookie in the victim's browser.
          const planted = sessionCookieValue((await request(server).get('/cart')).headers)!;
          const login = await request(server).get('/login').set('Cookie', `session=${planted}`);
          const victim = sessionCookieValue(login.headers)!;
          expect(idOf(victim)).not.toBe(idOf(planted));
          expect((await request(server).get('/me').set('Cookie', `session=${victim}`)).body.user).toBe('alice');
          expect((await request(server).get('/me').set('Cookie', `session=${planted}`)).body.user).toBeNull();
        });

        it('without regenerate(), regenerateOnChange rotates the id when a chosen key changes', async () => {
          const app = await startApp({}, { regenerateOnChange: ['user_id'] });
          const server = app.getHttpServer();
          const planted = sessionCookieValue((await request(server).get('/cart')).headers)!;
          // Another key changing keeps the id.
          const cart = await request(server).get('/cart').set('Cookie', `session=${planted}`);
          expect(setCookies(cart.headers)).toHaveLength(1);
          expect(idOf(sessionCookieValue(cart.headers)!)).toBe(idOf(planted));
          // The user id changing rotates it; the old id is deleted, the data moves along.
          const login = await request(server).get('/login-without-regenerate').set('Cookie', `session=${planted}`);
          const victim = sessionCookieValue(login.headers)!;
          expect(idOf(victim)).not.toBe(idOf(planted));
          expect(await redis.exists(`session:${idOf(planted)}`)).toBe(0);
          expect(JSON.parse((await redis.get(`session:${idOf(victim)}`))!)).toEqual({
            cart: ['book'],
            user_id: 'mallory-victim',
          });
          expect((await request(server).get('/me').set('Cookie', `session=${planted}`)).body.user).toBeNull();
        });

        it('without the option, the same login keeps the planted id (why the sample regenerates)', async () => {
          const app = await startApp();
          const server = app.getHttpServer();
          const planted = sessionCookieValue((await request(server).get('/cart')).headers)!;
          const login = await request(server).get('/login-without-regenerate').set('Cookie', `session=${planted}`);
          expect(idOf(sessionCookieValue(login.headers)!)).toBe(idOf(planted));
        });
      });
    });

    // The sample runs on Express here; its own suites cover its platforms.
    describe('the sample on express', () => {
      it('the sample logs in with a new id and logs out for good', async () => {
        const app = await createSampleApp({
          session: { SECRET_KEY, SESSION_REDIS_URL: server.url },
          envFile: false,
          logger: false,
        });
        await app.init();
        apps.push(app);
        const server2 = app.getHttpServer();
        const planted = sessionCookieValue((await request(server2).get('/')).headers)!;
        expect(await redis.exists(`session:${idOf(planted)}`)).toBe(1);
        // The login form's CSRF token, stored in the planted session (the sample's forms are protected).
        const form = await request(server2).get('/login').set('Cookie', `session=${planted}`);
        const csrf_token = /name="csrf_token" value="([^"]+)"/.exec(form.text)![1]!;
        const login = await request(server2)
          .post('/login')
          .set('Cookie', `session=${planted}`)
          .type('form')
          .send({ username: 'alice', password: 'wonderland', csrf_token });
        const victim = sessionCookieValue(login.headers)!;
        expect(idOf(victim)).not.toBe(idOf(planted));
        expect(await redis.exists(`session:${idOf(planted)}`)).toBe(0);
        expect((await request(server2).get('/account').set('Cookie', `session=${planted}`)).status).toBe(302);
        expect((await request(server2).get('/account').set('Cookie', `session=${victim}`)).status).toBe(200);
        await request(server2)
          .post('/logout')
          .set('Cookie', `session=${victim}`)
          .type('form')
          .send({ csrf_token })
          .expect(303);
        expect(await redis.exists(`session:${idOf(victim)}`)).toBe(0);
        expect((await request(server2).get('/account').set('Cookie', `session=${victim}`)).status).toBe(302);
      });
    });
  },
);
