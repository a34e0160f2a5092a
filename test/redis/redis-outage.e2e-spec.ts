/**
 * Redis down (connection refused): every session method answers 503 on Express and Fastify —
 * opening, saving, and regenerate()/destroy() called in a handler or a guard — for the module's
 * own client (SESSION_REDIS_URL) of RedisSessionInterface and FlaskSessionRedisInterface. The
 * outage is logged once per request and at a bounded rate across requests, and the client's
 * reconnection errors never reach ioredis' "Unhandled error event" line. When Redis comes back
 * (a real redis-server started on the refused port), requests succeed and the log says so once.
 */
import { jest } from '@jest/globals';
import {
  Controller,
  Get,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  FlaskSessionRedisInterface,
  getSession,
  RedisSessionInterface,
  Session,
  SessionInterface,
  SessionStoreUnavailableError,
  type RedisSession,
} from 'nest-flask-session';
import { Signer } from 'nest-flask-session/itsdangerous';
import { createApp, PLATFORMS, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { freePort } from '../support/free-port.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const SECRET_KEY = 'redis outage tests: a key of 48 random bytes.....';

/** What destroy() threw in the last /destroy-and-carry-on. */
let caught: unknown;

@Injectable()
class RegenerateInGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = (await getSession(context)) as RedisSession;
    await session.regenerate();
    return true;
  }
}

@Controller()
class OutageController {
  @Get('/regenerate')
  async regenerate(@Session() session: RedisSession) {
    await session.regenerate();
    session.set('user_id', 'alice');
    return 'logged in';
  }
  @Get('/destroy')
  async destroy(@Session() session: RedisSession) {
    await session.destroy();
    return 'logged out';
  }
  /** Swallows the failure of destroy(): the session is still never saved, the answer still 503. */
  @Get('/destroy-and-carry-on')
  async destroyAndCarryOn(@Session() session: RedisSession) {
    await session.destroy().catch((error: unknown) => (caught = error));
    session.set('flash', 'logged out');
    return 'carried on';
  }
  @Get('/set')
  set(@Session() session: RedisSession) {
    session.set('cart', ['book']);
    return 'set';
  }
  @Get('/read')
  read(@Session() session: RedisSession) {
    return { user: session.get('user_id') ?? null };
  }
  @Get('/guarded')
  @UseGuards(RegenerateInGuard)
  guarded() {
    return 'guarded';
  }
}

const INTERFACES = [
  ['RedisSessionInterface', RedisSessionInterface],
  ['FlaskSessionRedisInterface', FlaskSessionRedisInterface],
] as const;

/** A cookie naming a well-formed id, as each interface expects it. */
function cookieFor(iface: RedisSessionInterface): string {
  const id = iface.newId();
  if (iface instanceof FlaskSessionRedisInterface) return `session=${id}`;
  return `session=${new Signer(SECRET_KEY, { salt: iface.salt, keyDerivation: 'hmac', digestMethod: 'sha256' }).sign(id)}`;
}

describe('Redis down: 503 from every session method, logged once', () => {
  let error: ReturnType<typeof jest.spyOn>;
  let warn: ReturnType<typeof jest.spyOn>;
  let consoleError: ReturnType<typeof jest.spyOn>;
  /**
   * Each `error` event a client raised, and whether anything listened: ioredis prints
   * "[ioredis] Unhandled error event" for those nobody listens to (outside Jest, whose realm
   * hides the line itself, so the test watches the cause).
   */
  const errorEvents: Array<{ listened: boolean }> = [];
  const silentEmit = Object.getOwnPropertyDescriptor(Redis.prototype, 'silentEmit')!;

  beforeAll(() => {
    Redis.prototype.silentEmit = function (this: Redis, eventName: string, arg?: unknown): boolean {
      if (eventName === 'error') errorEvents.push({ listened: this.listenerCount('error') > 0 });
      return (silentEmit.value as Redis['silentEmit']).call(this, eventName, arg);
    };
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    Object.defineProperty(Redis.prototype, 'silentEmit', silentEmit);
    error.mockRestore();
    warn.mockRestore();
    consoleError.mockRestore();
  });

  const messages = (spy: { mock: { calls: unknown[][] } }): string[] => spy.mock.calls.map((call) => String(call[0]));
  const outageLines = () => messages(error).filter((line) => line.includes('session store is unavailable'));

  describe.each(PLATFORMS)('on %s', (platform: Platform) => {
    describe.each(INTERFACES)('%s with SESSION_REDIS_URL', (_name, Interface) => {
      let app: INestApplication;
      let iface: RedisSessionInterface;
      const started = Date.now();

      beforeAll(async () => {
        errorEvents.length = 0;
        error.mockClear();
        warn.mockClear();
        consoleError.mockClear();
        // A port nobody listens on: every connection attempt is refused.
        const url = `redis://127.0.0.1:${await freePort()}`;
        app = await createApp(
          { SECRET_KEY, SESSION_REDIS_URL: url, sessionInterface: new Interface({ commandTimeout: 500 }) },
          { controllers: [OutageController], providers: [RegenerateInGuard] },
          undefined,
          platform,
        );
        iface = app.get(SessionInterface) as RedisSessionInterface;
      });
      afterAll(async () => {
        await app.close();
        await iface.close();
      });

      it('a request whose session can be neither opened nor saved logs the outage once; later requests add no line', async () => {
        const http = app.getHttpServer();
        const opened = await request(http).get('/read').set('Cookie', cookieFor(iface));
        expect(opened.status).toBe(503);
        expect(outageLines()).toHaveLength(1);
        expect(outageLines()[0]).toContain('while opening the session');
        for (let i = 0; i < 3; i++) {
          expect((await request(http).get('/read').set('Cookie', cookieFor(iface))).status).toBe(503);
          expect((await request(http).get('/set')).status).toBe(503);
        }
        expect(outageLines()).toHaveLength(1);
      });

      it.each(['/regenerate', '/destroy', '/destroy-and-carry-on', '/set', '/guarded'])(
        '%s answers 503 and sets no cookie',
        async (path) => {
          const res = await request(app.getHttpServer()).get(path);
          expect(res.status).toBe(503);
          expect(res.body.message).toContain('session store is unavailable');
          expect(res.headers['set-cookie']).toBeUndefined();
          expect(messages(error).filter((line) => !line.includes('session store is unavailable'))).toEqual([]);
        },
      );

      it('the handler gets a 503 exception whose cause is the store error', async () => {
        caught = undefined;
        await request(app.getHttpServer()).get('/destroy-and-carry-on');
        expect(caught).toBeInstanceOf(ServiceUnavailableException);
        expect((caught as Error).cause).toBeInstanceOf(SessionStoreUnavailableError);
      });

      it("the client's reconnection errors give one warning, never ioredis' unhandled-error line", async () => {
        // ioredis retries every 100 ms to 2 s: give it a few attempts.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2500 - (Date.now() - started))));
        expect(errorEvents.length).toBeGreaterThan(1);
        expect(errorEvents.filter(({ listened }) => !listened)).toEqual([]);
        expect(messages(consoleError).filter((line) => line.includes('[ioredis]'))).toEqual([]);
        expect(messages(warn).filter((line) => line.includes('connection to Redis failed'))).toHaveLength(1);
      });
    });
  });
});

describeWithProgram(
  'Redis back after an outage (real redis-server)',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    it.each(PLATFORMS)(
      'on %s: requests succeed again, and the log says the connection is back, once',
      async (platform) => {
        const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
        const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
        const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
        const port = await freePort();
        let server: RedisServer | undefined;
        const app = await createApp(
          {
            SECRET_KEY,
            SESSION_REDIS_URL: `redis://127.0.0.1:${port}`,
            sessionInterface: new RedisSessionInterface({ commandTimeout: 500 }),
          },
          { controllers: [OutageController], providers: [RegenerateInGuard] },
          undefined,
          platform,
        );
        try {
          expect((await request(app.getHttpServer()).get('/set')).status).toBe(503);
          server = await RedisServer.start([], port);
          let status = 0;
          for (const deadline = Date.now() + 8000; status !== 200 && Date.now() < deadline;) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            status = (await request(app.getHttpServer()).get('/set')).status;
          }
          expect(status).toBe(200);
          const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => String(call[0]));
          expect(lines(warn).filter((line) => line.includes('connection to Redis failed'))).toHaveLength(1);
          expect(lines(log).filter((line) => line.includes('connection to Redis is back'))).toHaveLength(1);
        } finally {
          await app.close();
          await (app.get(SessionInterface) as RedisSessionInterface).close();
          await server?.stop();
          error.mockRestore();
          warn.mockRestore();
          log.mockRestore();
        }
      },
    );
  },
);
