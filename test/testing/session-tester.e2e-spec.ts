/**
 * `createSessionTester(app)` tests an app as configured: bound to the app's own SessionInterface
 * and resolved SESSION_CONFIG, it mints a session the app accepts and reads the one a response
 * set, for signed and encrypted cookies, Redis and Flask-Session (written to and read from a real
 * redis-server) and a custom interface; through supertest on Express and Fastify, and through
 * Fastify's `inject()`. Nothing is repeated or overridden: a cookie name or key from the
 * configuration is the tester's too.
 */
import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, Post, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import {
  EncryptedCookieSessionInterface,
  FlaskSessionRedisInterface,
  RedisSessionInterface,
  SecureCookieSession,
  Session,
  SessionInterface,
  type SessionConfig,
  type SessionData,
  type SessionMixin,
  type SessionModuleOptions,
  type SessionRequest,
  type SessionResponse,
} from 'nest-flask-session';
import { BadSignature } from 'nest-flask-session/itsdangerous';
import { createSessionTester, type SessionTester } from 'nest-flask-session/testing';
import request from 'supertest';
import { createApp, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { RedisServer, redisInstalled } from '../support/redis-server.js';

const SECRET_KEY = 'session tester key';

@Controller('cart')
class CartController {
  @Get()
  show(@Session() session: SessionMixin) {
    const visits = (session.get('visits', 0) as number) + 1;
    session.set('visits', visits);
    return { cart: session.get('cart', []), visits };
  }

  @Post('add/:item')
  add(@Session() session: SessionMixin, @Param('item') item: string) {
    const cart = [...(session.get('cart', []) as string[]), item];
    session.set('cart', cart);
    return cart;
  }

  @Get('untouched')
  untouched() {
    return {};
  }

  @Get('logout')
  logout(@Session() session: SessionMixin) {
    session.clear();
    return {};
  }
}

/** A session kept in memory under a random id cookie: an app's own SessionInterface. */
class MemorySession extends SecureCookieSession {
  override readonly new: boolean;
  constructor(
    entries: Iterable<readonly [string, unknown]>,
    readonly id: string,
    isNew: boolean,
  ) {
    super(entries);
    this.new = isNew;
  }
}

class MemorySessionInterface extends SessionInterface<MemorySession> {
  readonly store = new Map<string, SessionData>();

  openSession(config: SessionConfig, request: SessionRequest): MemorySession {
    const id = request.getCookie(this.getCookieName(config, request));
    const data = id === undefined ? undefined : this.store.get(id);
    return data ? new MemorySession(Object.entries(data), id!, false) : new MemorySession([], randomUUID(), true);
  }

  saveSession(config: SessionConfig, session: MemorySession, response: SessionResponse): void {
    const name = this.getCookieName(config, response.request);
    if (session.size === 0) {
      if (session.modified) {
        this.store.delete(session.id);
        response.deleteCookie(name, { path: '/' });
      }
      return;
    }
    if (!session.modified) return;
    this.store.set(session.id, session.toJSON());
    response.setCookie(name, session.id, { path: '/', httpOnly: true });
  }
}

/** What a test client answers: the status, the JSON body and the response to hand the tester. */
interface Answer {
  status: number;
  body: unknown;
  response: { headers: Record<string, unknown> };
}

type Client = (method: 'GET' | 'POST', url: string, cookie?: string) => Promise<Answer>;

function supertestClient(app: INestApplication): Client {
  return async (method, url, cookie) => {
    const req = method === 'GET' ? request(app.getHttpServer()).get(url) : request(app.getHttpServer()).post(url);
    const res = cookie === undefined ? await req : await req.set('Cookie', cookie);
    return { status: res.status, body: res.body as unknown, response: res };
  };
}

function injectClient(app: INestApplication): Client {
  return async (method, url, cookie) => {
    const res = await (app as NestFastifyApplication).inject({
      method,
      url,
      headers: cookie === undefined ? {} : { cookie },
    });
    return { status: res.statusCode, body: res.json() as unknown, response: res };
  };
}

const CLIENTS: Array<[string, Platform, (app: INestApplication) => Client]> = [
  ['supertest on express', 'express', supertestClient],
  ['supertest on fastify', 'fastify', supertestClient],
  ["Fastify's inject()", 'fastify', injectClient],
];

/**
 * The checks every interface goes through. `extra` is what the interface itself adds to the data;
 * `refreshes`: a permanent session's cookie is sent again on every response (Flask's
 * SESSION_REFRESH_EACH_REQUEST), so an untouched session still reads back.
 */
function describeTester(
  options: () => SessionModuleOptions,
  { extra = {}, refreshes = false }: { extra?: SessionData; refreshes?: boolean } = {},
): void {
  describe.each(CLIENTS)('with %s', (_name, platform, clientFor) => {
    let app: INestApplication;
    let sessions: SessionTester;
    let client: Client;

    beforeAll(async () => {
      app = await createApp(
        { SECRET_KEY, SESSION_COOKIE_NAME: 'cart_session', ...options() },
        { controllers: [CartController] },
        undefined,
        platform,
      );
      sessions = createSessionTester(app);
      client = clientFor(app);
    });
    afterAll(() => app.close());

    it("knows the app's cookie name", () => {
      expect(sessions.cookieName).toBe('cart_session');
    });

    it('a cookie it creates is the session the app reads', async () => {
      const cookie = await sessions.createCookie({ cart: ['milk'] });
      expect(cookie).toMatch(/^cart_session=./);
      const res = await client('POST', '/cart/add/tea', cookie);
      expect(res.body).toEqual(['milk', 'tea']);
      expect(await sessions.readSession(res.response)).toEqual({ ...extra, cart: ['milk', 'tea'] });
    });

    it('reads what a first visit stores', async () => {
      const res = await client('GET', '/cart');
      expect(res.body).toEqual({ cart: [], visits: 1 });
      expect(await sessions.readSession(res.response)).toEqual({ ...extra, visits: 1 });
    });

    it(`${refreshes ? 'the refreshed session' : 'null'} when the response leaves the session alone, {} when it deletes it`, async () => {
      const cookie = await sessions.createCookie({ visits: 3 });
      const untouched = await sessions.readSession((await client('GET', '/cart/untouched', cookie)).response);
      expect(untouched).toEqual(refreshes ? { ...extra, visits: 3 } : null);
      expect(await sessions.readSession((await client('GET', '/cart/logout', cookie)).response)).toEqual({});
    });
  });
}

describe('signed cookies (the default)', () => {
  describeTester(() => ({}));

  it('a cookie the app would not accept throws instead of reading as untouched', async () => {
    const app = await createApp({ SECRET_KEY, SESSION_COOKIE_NAME: 'cart_session' }, { controllers: [CartController] });
    const other = await createApp({ SECRET_KEY: 'another key', SESSION_COOKIE_NAME: 'cart_session' });
    try {
      const res = await request(app.getHttpServer()).get('/cart');
      await expect(createSessionTester(other).readSession(res)).rejects.toThrow(BadSignature);
    } finally {
      await app.close();
      await other.close();
    }
  });
});

describe('encrypted cookies', () => {
  describeTester(() => ({ sessionInterface: EncryptedCookieSessionInterface }));

  it('the cookie it creates is sealed: the data is not readable in it', async () => {
    const app = await createApp({ SECRET_KEY, sessionInterface: EncryptedCookieSessionInterface });
    try {
      const cookie = await createSessionTester(app).createCookie({ cart: ['secret recipe'] });
      expect(Buffer.from(cookie.split('=')[1]!, 'base64url').toString('latin1')).not.toContain('secret recipe');
    } finally {
      await app.close();
    }
  });
});

describe('a custom SessionInterface', () => {
  const memory = new MemorySessionInterface();
  describeTester(() => ({ sessionInterface: memory }));

  it('a cookie naming no stored session throws', async () => {
    const app = await createApp({ SECRET_KEY, sessionInterface: memory });
    try {
      await expect(createSessionTester(app).readSession('session=no-such-id; Path=/')).rejects.toThrow(
        'cookie names no session MemorySessionInterface can open',
      );
    } finally {
      await app.close();
    }
  });
});

describeWithProgram('server-side sessions', redisInstalled, 'apt-get install redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  const interfaces: Array<RedisSessionInterface | FlaskSessionRedisInterface> = [];
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    for (const sessionInterface of interfaces) await sessionInterface.close();
    redis.disconnect();
    await server.stop();
  });

  describe('Redis', () => {
    describeTester(() => {
      const sessionInterface = new RedisSessionInterface({ url: server.url });
      interfaces.push(sessionInterface);
      return { sessionInterface };
    });

    it('createCookie writes the session to the store; readSession reads the store, not the cookie', async () => {
      const sessionInterface = new RedisSessionInterface({ url: server.url });
      interfaces.push(sessionInterface);
      const app = await createApp({ SECRET_KEY, SESSION_KEY_PREFIX: 'tester:', sessionInterface });
      try {
        const sessions = createSessionTester(app);
        const cookie = await sessions.createCookie({ userId: 7 });
        const keys = await redis.keys('tester:*');
        expect(keys).toHaveLength(1);
        expect(await redis.get(keys[0]!)).toBe('{"userId":7}');
        await redis.set(keys[0]!, '{"userId":8}');
        expect(await sessions.readSession([`${cookie}; Path=/`])).toEqual({ userId: 8 });
        await redis.del(keys[0]!);
        await expect(sessions.readSession([`${cookie}; Path=/`])).rejects.toThrow('not in the store');
      } finally {
        await app.close();
      }
    });
  });

  describe('Flask-Session', () => {
    describeTester(
      () => {
        const sessionInterface = new FlaskSessionRedisInterface({ url: server.url });
        interfaces.push(sessionInterface);
        return { sessionInterface };
      },
      // SESSION_PERMANENT (Flask-Session's default): every session holds _permanent, so it is refreshed.
      { extra: { _permanent: true }, refreshes: true },
    );
  });
});
