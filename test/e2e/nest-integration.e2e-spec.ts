/**
 * The Nest integration on Express and Fastify with each cookie interface: @Session(), getSession()
 * from guards, interceptors, filters and middleware, every way a response leaves (returned value,
 * @Res(), redirects, streams, exceptions), asynchronous interfaces, configuration through
 * ConfigService, custom interfaces, save errors, and sharing and key rotation between apps.
 */
import { Readable } from 'node:stream';
import {
  BadRequestException,
  Body,
  Catch,
  CanActivate,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  Redirect,
  Req,
  Res,
  StreamableFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestModule,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { jest } from '@jest/globals';
import type { Response } from 'express';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, of, delay, type Observable } from 'rxjs';
import request from 'supertest';
import {
  EncryptedCookieSessionInterface,
  getSession,
  SecureCookieSession,
  SecureCookieSessionInterface,
  Session,
  SESSION_CONFIG,
  SessionInterceptor,
  SessionInterface,
  SessionModule,
  SessionStoreUnavailableError,
  type SessionConfig,
  type SessionData,
  type SessionRequest,
  type SessionResponse,
} from 'nest-flask-session';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { cookieInterface, PLATFORM_COOKIE_INTERFACES } from '../support/cookie-interfaces.js';
import {
  createApp,
  createPlatformApp,
  PLATFORMS,
  sessionCookieValue,
  setCookies,
  type Platform,
} from '../support/create-app.js';

const SECRET_KEY = 'integration key';
type Data = Record<string, unknown>;
/** What `@Res()` gives a handler: Express's response or Fastify's reply. */
type Reply = Response | FastifyReply;

@Injectable()
class RememberUrlGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession<{ userId?: number; next?: string }>(context);
    if (session.get('userId')) return true;
    session.set('next', context.switchToHttp().getRequest<{ url: string }>().url);
    throw new ForbiddenException('log in first');
  }
}

/** Writes to the session before the handler runs, through getSession(context). */
@Injectable()
class StampInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    (await getSession(context)).set('stamped', true);
    return next.handle();
  }
}

class TeapotError extends Error {}

/** An exception filter that writes to the session and sends the response itself, the platform's way. */
@Catch(TeapotError)
class TeapotFilter implements ExceptionFilter {
  async catch(_error: TeapotError, host: ArgumentsHost): Promise<void> {
    (await getSession(host as unknown as ExecutionContext)).set('filtered', true);
    const reply = host.switchToHttp().getResponse<Reply>();
    if (isFastifyReply(reply)) void reply.code(418).send({ teapot: true });
    else reply.status(418).json({ teapot: true });
  }
}

function isFastifyReply(reply: Reply): reply is FastifyReply {
  return typeof (reply as FastifyReply).code === 'function' && 'raw' in reply;
}

/** Every way a response can leave, written the way of the platform the app runs on. */
function pathsController(platform: Platform) {
  @Controller()
  class PathsController {
    @Get('/returned')
    returned(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'returned');
      return { ok: true };
    }

    @Get('/async')
    async asyncHandler(@Session() session: SecureCookieSession<Data>) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      session.set('path', 'async');
      return 'async';
    }

    @Get('/observable')
    observable(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'observable');
      return of('observable').pipe(delay(5));
    }

    @Get('/redirect')
    @Redirect('/returned', 302)
    redirect(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'redirect');
    }

    @Get('/passthrough')
    passthrough(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) res: Reply) {
      session.set('path', 'passthrough');
      if (platform === 'fastify') (res as FastifyReply).code(201);
      else (res as Response).status(201);
      return 'passthrough';
    }

    @Get('/manual')
    manual(@Session() session: SecureCookieSession<Data>, @Res() res: Reply) {
      session.set('path', 'manual');
      if (platform === 'fastify') void (res as FastifyReply).status(200).send('manual');
      else (res as Response).status(200).send('manual');
    }

    @Get('/manual-later')
    manualLater(@Session() session: SecureCookieSession<Data>, @Res() res: Reply) {
      setTimeout(() => {
        session.set('path', 'manual-later');
        if (platform === 'fastify') void (res as FastifyReply).send({ later: true });
        else (res as Response).json({ later: true });
      }, 5);
    }

    @Get('/file')
    file(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'file');
      return new StreamableFile(Readable.from([Buffer.from('file body')]));
    }

    @Get('/http-error')
    httpError(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'http-error');
      throw new BadRequestException('nope');
    }

    @Get('/crash')
    crash(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'crash');
      throw new Error('boom');
    }

    @Get('/filtered')
    @UseFilters(TeapotFilter)
    filtered(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'filtered');
      throw new TeapotError('short and stout');
    }

    @Get('/stamped')
    @UseInterceptors(StampInterceptor)
    stamped(@Session() session: SecureCookieSession<Data>) {
      session.set('path', 'stamped');
      return session.toJSON();
    }

    /** The platform's own response object, bypassing the framework (Fastify: `reply.raw`). */
    @Get('/raw')
    raw(@Session() session: SecureCookieSession<Data>, @Res() res: Reply) {
      session.set('path', 'raw');
      (platform === 'fastify' ? (res as FastifyReply).raw : (res as Response)).end('raw');
    }

    @Get('/raw-untouched')
    rawUntouched(@Session('userId') userId: number | undefined, @Res() res: Reply) {
      (platform === 'fastify' ? (res as FastifyReply).raw : (res as Response)).end(String(userId ?? 'none'));
    }

    @Get('/guarded')
    @UseGuards(RememberUrlGuard)
    guarded() {
      return 'secret';
    }

    @Get('/login')
    async login(@Session() session: SecureCookieSession<{ userId?: number; next?: string }>) {
      session.set('userId', 7);
      return { next: session.pop('next', null) };
    }

    @Get('/user')
    user(@Session('userId') userId?: number) {
      return { userId: userId ?? null };
    }

    @Get('/read')
    read(@Session() session: SecureCookieSession<Data>) {
      return session.toJSON();
    }

    /** getSession() with the request Nest gives the handler (Express's req; Fastify's request and its raw). */
    @Get('/via-req')
    async viaReq(@Req() req: object) {
      const session = await getSession(req);
      const raw = platform === 'fastify' ? await getSession((req as FastifyRequest).raw) : session;
      session.set('viaReq', platform);
      return { same: session === raw, data: raw.toJSON() };
    }

    @Post('/json')
    json(@Session() session: SecureCookieSession<Data>, @Body() body: Data) {
      session.set('posted', body);
      return body;
    }

    @Get('/permanent')
    permanent(@Session() session: SecureCookieSession<Data>) {
      session.permanent = true;
      session.set('p', 1);
      return '';
    }
  }
  return PathsController;
}

/** Collects what the app logs as errors (the binding logs through Nest's Logger). */
function collectErrors(app: INestApplication): string[] {
  const errors: string[] = [];
  app.useLogger({ log() {}, warn() {}, error: (message: unknown) => errors.push(String(message)) });
  return errors;
}

/** Waits until `check` passes (logs written after the response went out, e.g. Fastify's onResponse). */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe.each(PLATFORM_COOKIE_INTERFACES)(
  'every way a response leaves saves the session on %s with %s cookies',
  (platform, kind) => {
    const { option, cookies } = cookieInterface(kind);
    let app: INestApplication;
    beforeAll(async () => {
      app = await createApp(
        { SECRET_KEY, ...option },
        { controllers: [pathsController(platform)] },
        undefined,
        platform,
      );
    });
    afterAll(async () => {
      await app.close();
    });

    it.each([
      ['/returned', 200],
      ['/async', 200],
      ['/observable', 200],
      ['/redirect', 302],
      ['/passthrough', 201],
      ['/manual', 200],
      ['/manual-later', 200],
      ['/file', 200],
      ['/http-error', 400],
      ['/crash', 500],
    ])('%s (%i)', async (path, status) => {
      const res = await request(app.getHttpServer()).get(path);
      expect(res.status).toBe(status);
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({ path: path.slice(1) });
      // Express's redirect adds `Vary: Accept` after us; Cookie must be there exactly once.
      expect(res.headers.vary.split(', ').filter((field: string) => field === 'Cookie')).toHaveLength(1);
    });

    it('an exception filter that writes to the session (getSession(host)) and sends the response itself', async () => {
      const res = await request(app.getHttpServer()).get('/filtered');
      expect(res.status).toBe(418);
      expect(res.body).toEqual({ teapot: true });
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
        path: 'filtered',
        filtered: true,
      });
    });

    it('an interceptor writes through getSession(context) before the handler, which sees it', async () => {
      const res = await request(app.getHttpServer()).get('/stamped');
      expect(res.body).toEqual({ stamped: true, path: 'stamped' });
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
        stamped: true,
        path: 'stamped',
      });
    });

    it('getSession() with the request from @Req() (on Fastify, the request and request.raw give the same session)', async () => {
      const cookie = createSessionCookie({ userId: 5 }, { SECRET_KEY }, cookies);
      const res = await request(app.getHttpServer()).get('/via-req').set('Cookie', cookie);
      expect(res.body).toEqual({ same: true, data: { userId: 5, viaReq: platform } });
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
        userId: 5,
        viaReq: platform,
      });
    });

    it('a handler that writes to the platform response directly: the session is saved, or a clear error is logged', async () => {
      const errors = collectErrors(app);
      const res = await request(app.getHttpServer()).get('/raw');
      expect(res.status).toBe(200);
      expect(res.text).toBe('raw');
      const saved = readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies);
      if (saved !== null) {
        expect(saved).toEqual({ path: 'raw' });
      } else {
        // Never a silent loss: the log names the route and says what to do.
        await eventually(() =>
          expect(errors.join('\n')).toMatch(/session changed during \/raw but was not saved.*reply\.raw/),
        );
      }
      // Express saves it: there, the handler's `res` is the response the binding watches.
      if (platform === 'express') expect(saved).toEqual({ path: 'raw' });
    });

    it('a handler that writes to the platform response directly without changing the session logs nothing', async () => {
      const errors = collectErrors(app);
      const res = await request(app.getHttpServer())
        .get('/raw-untouched')
        .set('Cookie', createSessionCookie({ userId: 9 }, { SECRET_KEY }, cookies));
      expect(res.text).toBe('9');
      // Give an onResponse hook the time to run before checking that nothing was logged.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(errors).toEqual([]);
    });

    it('a guard reads and writes the session, also when it rejects; the handler after login sees it', async () => {
      const agent = request.agent(app.getHttpServer());
      const denied = await agent.get('/guarded?x=1');
      expect(denied.status).toBe(403);
      expect(readSessionCookie(denied.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
        next: '/guarded?x=1',
      });
      expect((await agent.get('/login')).body).toEqual({ next: '/guarded?x=1' });
      expect((await agent.get('/guarded')).text).toBe('secret');
    });

    it("@Session('key') returns one value", async () => {
      const res = await request(app.getHttpServer())
        .get('/user')
        .set('Cookie', createSessionCookie({ userId: 3 }, { SECRET_KEY }, cookies));
      expect(res.body).toEqual({ userId: 3 });
      expect(res.headers.vary).toBe('Cookie');
    });

    it('an unknown route refreshes a permanent session, as Flask does on 404s', async () => {
      const cookie = `session=${sessionCookieValue((await request(app.getHttpServer()).get('/permanent')).headers)}`;
      const res = await request(app.getHttpServer()).get('/no-such-route').set('Cookie', cookie);
      expect(res.status).toBe(404);
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({ _permanent: true, p: 1 });
    });

    it.each([
      ['malformed JSON', '{bad', 400],
      ['a body over the limit', JSON.stringify({ x: 'a'.repeat(2_000_000) }), 413],
    ])(
      "a request the platform's body parser rejects (%s) still refreshes a permanent session",
      async (_name, body, status) => {
        const cookie = createSessionCookie({ _permanent: true, p: 3 }, { SECRET_KEY }, cookies);
        const res = await request(app.getHttpServer())
          .post('/json')
          .set('Cookie', cookie)
          .set('Content-Type', 'application/json')
          .send(body);
        expect(res.status).toBe(status);
        expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
          _permanent: true,
          p: 3,
        });
      },
    );

    it('an unknown route without a session cookie sends no cookie', async () => {
      const res = await request(app.getHttpServer()).get('/no-such-route');
      expect(res.status).toBe(404);
      expect(setCookies(res.headers)).toEqual([]);
    });

    it('a tampered or garbage cookie is a fresh session, never an error', async () => {
      const good = createSessionCookie({ userId: 1 }, { SECRET_KEY }, cookies);
      for (const cookie of [
        `${good.slice(0, -2)}xx`,
        'session=garbage',
        'session=...',
        'session=%ff%00',
        `session=${'a'.repeat(5000)}`,
      ]) {
        const res = await request(app.getHttpServer()).get('/read').set('Cookie', cookie);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({});
      }
    });

    it('getSession() on an object that is no request of the app: an error that does not blame a missing module', async () => {
      const error = await getSession({}).then(
        () => null,
        (reason: unknown) => reason as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toContain('did not pass through the session hooks');
      expect(error!.message).not.toContain('import SessionModule');
    });
  },
);

/** The cookie interface, opening and saving on a later tick as a store would. */
class SlowCookieInterface extends SessionInterface {
  private readonly cookies = new SecureCookieSessionInterface();
  async openSession(config: SessionConfig, request: SessionRequest) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return this.cookies.openSession(config, request);
  }
  async saveSession(config: SessionConfig, session: SecureCookieSession, response: SessionResponse) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.cookies.saveSession(config, session, response);
  }
}

describe.each(PLATFORMS)('an interface that saves asynchronously, on every path, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(
      { SECRET_KEY, sessionInterface: SlowCookieInterface },
      { controllers: [pathsController(platform)] },
      undefined,
      platform,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/returned', 200, { path: 'returned' }],
    ['/async', 200, { path: 'async' }],
    ['/observable', 200, { path: 'observable' }],
    ['/redirect', 302, { path: 'redirect' }],
    ['/passthrough', 201, { path: 'passthrough' }],
    ['/manual', 200, { path: 'manual' }],
    ['/manual-later', 200, { path: 'manual-later' }],
    ['/file', 200, { path: 'file' }],
    ['/http-error', 400, { path: 'http-error' }],
    ['/crash', 500, { path: 'crash' }],
    ['/filtered', 418, { path: 'filtered', filtered: true }],
    ['/guarded', 403, { next: '/guarded' }],
  ])('%s (%i)', async (path, status, data) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(status);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual(data);
  });

  it('an unknown route refreshes a permanent session', async () => {
    const cookie = createSessionCookie({ _permanent: true, p: 2 }, { SECRET_KEY });
    const res = await request(app.getHttpServer()).get('/no-such-route').set('Cookie', cookie);
    expect(res.status).toBe(404);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ _permanent: true, p: 2 });
  });
});

describe('testing helpers (pure functions, no HTTP platform involved)', () => {
  it('readSessionCookie tells a deletion from no cookie', () => {
    expect(readSessionCookie(undefined, { SECRET_KEY })).toBeNull();
    expect(readSessionCookie(['other=1'], { SECRET_KEY })).toBeNull();
    expect(
      readSessionCookie(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'], { SECRET_KEY }),
    ).toEqual({});
  });
});

describe.each(PLATFORMS)('configuration on %s', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  @Controller()
  class ConfigController {
    constructor(@Inject(SESSION_CONFIG) private readonly config: SessionConfig) {}
    @Get('/config')
    get() {
      return this.config;
    }
    @Get('/set')
    set(@Session() session: SecureCookieSession<Data>) {
      session.set('a', 1);
      session.permanent = true;
      return '';
    }
  }

  const env = {
    SECRET_KEY: 'from-env',
    SECRET_KEY_FALLBACKS: 'old-1, old-2',
    SESSION_COOKIE_NAME: 'sid',
    SESSION_COOKIE_DOMAIN: 'example.com',
    SESSION_COOKIE_PATH: '/app',
    SESSION_COOKIE_HTTPONLY: 'false',
    SESSION_COOKIE_SECURE: 'true',
    SESSION_COOKIE_SAMESITE: 'None',
    SESSION_COOKIE_PARTITIONED: '1',
    PERMANENT_SESSION_LIFETIME: '3600',
    SESSION_REFRESH_EACH_REQUEST: 'no',
    APPLICATION_ROOT: '/root',
    MAX_COOKIE_SIZE: '8000',
  };

  it('a .env-style ConfigService drives every option', async () => {
    app = await createApp(
      {},
      { imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })], controllers: [ConfigController] },
      undefined,
      platform,
    );
    const config = (await request(app.getHttpServer()).get('/config')).body as SessionConfig;
    expect(config).toMatchObject({
      SECRET_KEY: 'from-env',
      SECRET_KEY_FALLBACKS: ['old-1', 'old-2'],
      SESSION_COOKIE_NAME: 'sid',
      SESSION_COOKIE_DOMAIN: 'example.com',
      SESSION_COOKIE_PATH: '/app',
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_SAMESITE: 'None',
      SESSION_COOKIE_PARTITIONED: true,
      PERMANENT_SESSION_LIFETIME: 3600,
      SESSION_REFRESH_EACH_REQUEST: false,
      APPLICATION_ROOT: '/root',
      MAX_COOKIE_SIZE: 8000,
    });
    const header = setCookies((await request(app.getHttpServer()).get('/set')).headers)[0]!;
    expect(header).toMatch(/^sid=.+; Domain=example\.com; Expires=.+; Secure; Path=\/app; SameSite=None; Partitioned$/);
  });

  it('a JSON list of fallback keys from the environment', async () => {
    app = await createApp(
      {},
      {
        imports: [
          ConfigModule.forRoot({
            ignoreEnvFile: true,
            load: [() => ({ SECRET_KEY: 'k', SECRET_KEY_FALLBACKS: '["a","b,c"]' })],
          }),
        ],
        controllers: [ConfigController],
      },
      undefined,
      platform,
    );
    expect((await request(app.getHttpServer()).get('/config')).body.SECRET_KEY_FALLBACKS).toEqual(['a', 'b,c']);
  });

  it('an explicit option beats ConfigService', async () => {
    app = await createApp(
      { SESSION_COOKIE_NAME: 'explicit', PERMANENT_SESSION_LIFETIME: 60 },
      { imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })], controllers: [ConfigController] },
      undefined,
      platform,
    );
    const config = (await request(app.getHttpServer()).get('/config')).body as SessionConfig;
    expect(config.SESSION_COOKIE_NAME).toBe('explicit');
    expect(config.PERMANENT_SESSION_LIFETIME).toBe(60);
    expect(config.SECRET_KEY).toBe('from-env');
  });

  it('forRootAsync with a factory that injects ConfigService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ APP_SECRET: 'async-secret' })] }),
        SessionModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            SECRET_KEY: config.get<string>('APP_SECRET'),
            SESSION_COOKIE_NAME: 'async',
          }),
        }),
      ],
      controllers: [ConfigController],
    }).compile();
    app = await createPlatformApp(moduleRef, platform);
    const header = setCookies((await request(app.getHttpServer()).get('/set')).headers)[0]!;
    expect(readSessionCookie([header], { SECRET_KEY: 'async-secret', SESSION_COOKIE_NAME: 'async' })).toEqual({
      a: 1,
      _permanent: true,
    });
  });

  it.each([
    [{ SESSION_COOKIE_SAMESITE: 'sometimes' }, 'SESSION_COOKIE_SAMESITE'],
    [{ SESSION_COOKIE_SAMESITE: 'None' }, "SESSION_COOKIE_SAMESITE is 'None'"],
    [{ SESSION_COOKIE_NAME: '__Host-sid' }, '__Host-, which needs SESSION_COOKIE_SECURE'],
    [
      { SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, SESSION_COOKIE_DOMAIN: 'example.com' },
      'forbids SESSION_COOKIE_DOMAIN',
    ],
    [
      { SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, APPLICATION_ROOT: '/app' },
      "needs the cookie path '/'",
    ],
    [{ SESSION_COOKIE_NAME: '__Secure-sid' }, '__Secure-, which needs SESSION_COOKIE_SECURE'],
    [{ SESSION_COOKIE_NAME: 'bad name;' }, 'SESSION_COOKIE_NAME must be a cookie token'],
    [{ PERMANENT_SESSION_LIFETIME: -1 }, 'PERMANENT_SESSION_LIFETIME must be zero or a positive number'],
    [
      { PERMANENT_SESSION_LIFETIME: 'soon' as unknown as number },
      'PERMANENT_SESSION_LIFETIME must be zero or a positive number',
    ],
    [{ SECRET_KEY_FALLBACKS: 'old' as unknown as string[] }, 'SECRET_KEY_FALLBACKS must be a list'],
    [{ MAX_COOKIE_SIZE: -1 }, 'MAX_COOKIE_SIZE must be a whole number'],
    [{ SESSION_COOKIE_SECURE: 'maybe' as unknown as boolean }, 'SESSION_COOKIE_SECURE must be true or false'],
    [{ SESSION_COOKIE_SIZE_POLICY: 'panic' as 'warn' }, 'SESSION_COOKIE_SIZE_POLICY'],
  ])('start-up validation: %j', async (options, message) => {
    await expect(
      createApp({ SECRET_KEY, ...options }, { controllers: [ConfigController] }, undefined, platform),
    ).rejects.toThrow(message);
  });

  it('no SECRET_KEY is not an error: one start-up warning, a null session', async () => {
    const { Logger } = await import('@nestjs/common');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const moduleRef = await Test.createTestingModule({
      imports: [SessionModule.forRoot()],
      controllers: [ConfigController],
    }).compile();
    let warnings: string[];
    try {
      app = await createPlatformApp(moduleRef, platform);
      warnings = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('SECRET_KEY'));
    } finally {
      warn.mockRestore();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('No SECRET_KEY is set');
    const res = await request(app.getHttpServer()).get('/config');
    expect(res.body.SECRET_KEY).toBeNull();
  });
});

describe.each(PLATFORMS)('custom SessionInterface on %s', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  @Injectable()
  class AuditLog {
    readonly entries: string[] = [];
  }

  @Module({ providers: [AuditLog], exports: [AuditLog] })
  class AuditModule {}

  /** Keeps sessions in memory under a cookie id; records every save in an injected AuditLog. */
  @Injectable()
  class MemorySessionInterface extends SessionInterface {
    static readonly store = new Map<string, SessionData>();
    constructor(readonly audit: AuditLog) {
      super();
    }
    openSession(config: SessionConfig, request: SessionRequest) {
      const id = request.getCookie('mem');
      return new SecureCookieSession((id && MemorySessionInterface.store.get(id)) || {});
    }
    saveSession(config: SessionConfig, session: SecureCookieSession, response: SessionResponse) {
      if (!session.modified) return;
      const id = `id${MemorySessionInterface.store.size}`;
      MemorySessionInterface.store.set(id, session.toJSON());
      response.setCookie('mem', id, { path: '/' });
      this.audit.entries.push(id);
    }
  }

  @Controller()
  class CounterController {
    @Get('/count')
    count(@Session() session: SecureCookieSession<{ n?: number }>) {
      const n = (session.get('n') ?? 0) + 1;
      session.set('n', n);
      return String(n);
    }
  }

  it('by module option, with an injected dependency', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SessionModule.forRootAsync({
          imports: [AuditModule],
          useFactory: () => ({ SECRET_KEY, sessionInterface: MemorySessionInterface }),
        }),
      ],
      controllers: [CounterController],
    }).compile();
    app = await createPlatformApp(moduleRef, platform);
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    const iface = app.get(SessionInterface) as MemorySessionInterface;
    expect(iface).toBeInstanceOf(MemorySessionInterface);
    expect(iface.audit.entries).toHaveLength(2);
  });

  it('by overrideProvider(SessionInterface)', async () => {
    const audit = new AuditLog();
    app = await createApp(
      { SECRET_KEY },
      { controllers: [CounterController] },
      (builder) => builder.overrideProvider(SessionInterface).useValue(new MemorySessionInterface(audit)),
      platform,
    );
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    expect(audit.entries).toHaveLength(2);
    expect(setCookies((await agent.get('/count')).headers)[0]).toMatch(/^mem=/);
  });

  it('a session store outage is a 503 with a clear message, and the cause is logged', async () => {
    class DownInterface extends SecureCookieSessionInterface {
      override openSession(): never {
        throw new SessionStoreUnavailableError('redis: connect ECONNREFUSED 127.0.0.1:1');
      }
    }
    app = await createApp(
      { SECRET_KEY, sessionInterface: DownInterface },
      { controllers: [CounterController] },
      undefined,
      platform,
    );
    const errors = collectErrors(app);
    const res = await request(app.getHttpServer()).get('/count');
    expect(res.status).toBe(503);
    expect(res.body.message).toContain('session store is unavailable');
    expect(errors.join('\n')).toContain('ECONNREFUSED');
  });

  it('a saveSession that throws is a 500 with the cause logged, never a silent response without the cookie', async () => {
    class BrokenSave extends SecureCookieSessionInterface {
      override saveSession(): never {
        throw new Error('disk full');
      }
    }
    app = await createApp(
      { SECRET_KEY, sessionInterface: BrokenSave },
      { controllers: [CounterController, pathsController(platform)] },
      undefined,
      platform,
    );
    const errors = collectErrors(app);
    for (const path of ['/count', '/manual', '/http-error']) {
      const res = await request(app.getHttpServer()).get(path);
      expect(res.status).toBe(500);
      expect(setCookies(res.headers)).toEqual([]);
    }
    expect(errors.filter((line) => line.includes('disk full'))).toHaveLength(3);
  });
});

describe.each(PLATFORMS)("save errors and the app's exception filters on %s", (platform) => {
  /** The app's own catch-all filter: renders every exception as a 418 with its message. */
  @Catch()
  class CatchAllFilter implements ExceptionFilter {
    catch(error: Error, host: ArgumentsHost): void {
      const reply = host.switchToHttp().getResponse<Reply>();
      const body = { caughtBy: 'app filter', message: error.message };
      if (isFastifyReply(reply)) void reply.code(418).send(body);
      else reply.status(418).json(body);
    }
  }
  class BrokenSave extends SecureCookieSessionInterface {
    override saveSession(): never {
      throw new Error('disk full');
    }
  }

  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(
      { SECRET_KEY, sessionInterface: BrokenSave },
      { controllers: [pathsController(platform)], providers: [{ provide: APP_FILTER, useClass: CatchAllFilter }] },
      undefined,
      platform,
    );
    collectErrors(app);
  });
  afterAll(async () => {
    await app.close();
  });

  // The interceptor saves these in the request's own promise chain, so the app's filters render a save error.
  it.each(['/returned', '/async', '/redirect', '/passthrough', '/file'])('%s', async (path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(418);
    expect(res.body.caughtBy).toBe('app filter');
    expect(setCookies(res.headers)).toEqual([]);
  });
});

describe("beside Express's own res.cookie() on express", () => {
  @Controller()
  class ExpressCookies {
    @Get('/both')
    both(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) res: Response) {
      res.cookie('other', 'x');
      session.set('mine', 1);
      return 'both';
    }
  }

  it('res.cookie() and the session both reach the client', async () => {
    const app = await createApp({ SECRET_KEY }, { controllers: [ExpressCookies] }, undefined, 'express');
    try {
      const cookies = setCookies((await request(app.getHttpServer()).get('/both')).headers);
      expect(cookies).toHaveLength(2);
      expect(cookies).toContain('other=x; Path=/');
      expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ mine: 1 });
    } finally {
      await app.close();
    }
  });
});

describe.each(PLATFORM_COOKIE_INTERFACES)('sharing and rotation over HTTP on %s with %s cookies', (platform, kind) => {
  const { option, cookies } = cookieInterface(kind);
  const apps: INestApplication[] = [];
  const start = async (options: Parameters<typeof createApp>[0], on: Platform = platform) => {
    const app = await createApp({ ...options, ...option }, { controllers: [pathsController(on)] }, undefined, on);
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('two apps with the same SECRET_KEY share sessions', async () => {
    const one = await start({ SECRET_KEY });
    const two = await start({ SECRET_KEY });
    const cookie = `session=${sessionCookieValue((await request(one.getHttpServer()).get('/login')).headers)}`;
    expect((await request(two.getHttpServer()).get('/read').set('Cookie', cookie)).body).toEqual({ userId: 7 });
  });

  it('an app on the other platform with the same SECRET_KEY shares sessions both ways', async () => {
    const other: Platform = platform === 'express' ? 'fastify' : 'express';
    const here = await start({ SECRET_KEY });
    const there = await start({ SECRET_KEY }, other);
    const cookie = `session=${sessionCookieValue((await request(here.getHttpServer()).get('/login')).headers)}`;
    const changed = await request(there.getHttpServer()).get('/returned').set('Cookie', cookie);
    expect(readSessionCookie(changed.headers['set-cookie'], { SECRET_KEY }, cookies)).toEqual({
      userId: 7,
      path: 'returned',
    });
    const back = `session=${sessionCookieValue(changed.headers)}`;
    expect((await request(here.getHttpServer()).get('/read').set('Cookie', back)).body).toEqual({
      userId: 7,
      path: 'returned',
    });
  });

  it('SECRET_KEY_FALLBACKS: an old-key cookie opens and is re-signed with the new key when saved', async () => {
    const old = await start({ SECRET_KEY: 'old key' });
    const rotated = await start({ SECRET_KEY: 'new key', SECRET_KEY_FALLBACKS: ['old key'] });
    const oldCookie = `session=${sessionCookieValue((await request(old.getHttpServer()).get('/login')).headers)}`;
    const res = await request(rotated.getHttpServer()).get('/returned').set('Cookie', oldCookie);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY: 'new key' }, cookies)).toEqual({
      userId: 7,
      path: 'returned',
    });
    expect(() => readSessionCookie(res.headers['set-cookie'], { SECRET_KEY: 'old key' }, cookies)).toThrow();
  });
});

describe.each(PLATFORMS)('migrating a running app from signed to encrypted cookies on %s', (platform) => {
  const signed = new SecureCookieSessionInterface();
  const encrypted = new EncryptedCookieSessionInterface();
  const apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('with acceptSignedCookies, a signed session survives the switch: read once, re-written encrypted on that response', async () => {
    const before = await createApp({ SECRET_KEY }, { controllers: [pathsController(platform)] }, undefined, platform);
    const after = await createApp(
      { SECRET_KEY, sessionInterface: new EncryptedCookieSessionInterface({ acceptSignedCookies: true }) },
      { controllers: [pathsController(platform)] },
      undefined,
      platform,
    );
    apps.push(before, after);
    const signedCookie = `session=${sessionCookieValue((await request(before.getHttpServer()).get('/login')).headers)}`;
    const res = await request(after.getHttpServer()).get('/user').set('Cookie', signedCookie);
    expect(res.body).toEqual({ userId: 7 });
    expect(sessionCookieValue(res.headers)).toMatch(/^v1\./);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, encrypted)).toEqual({ userId: 7 });
    expect(() => readSessionCookie(res.headers['set-cookie'], { SECRET_KEY }, signed)).toThrow();
    // Once encrypted, the next request reads it without writing it again.
    const next = await request(after.getHttpServer())
      .get('/user')
      .set('Cookie', `session=${sessionCookieValue(res.headers)}`);
    expect(next.body).toEqual({ userId: 7 });
    expect(setCookies(next.headers)).toEqual([]);
  });

  it('without it, a signed cookie is a fresh session (never a 500)', async () => {
    const app = await createApp(
      { SECRET_KEY, sessionInterface: EncryptedCookieSessionInterface },
      { controllers: [pathsController(platform)] },
      undefined,
      platform,
    );
    apps.push(app);
    const res = await request(app.getHttpServer())
      .get('/user')
      .set('Cookie', createSessionCookie({ userId: 7 }, { SECRET_KEY }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: null });
  });
});

describe('non-HTTP contexts (no HTTP platform involved)', () => {
  it('the interceptor passes them through untouched', async () => {
    const interceptor = new SessionInterceptor({ get: () => true } as never);
    const context = {
      getType: () => 'rpc',
      switchToHttp: () => {
        throw new Error('not http');
      },
    } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => of('rpc result') };
    expect(await lastValueFrom(await interceptor.intercept(context, next))).toBe('rpc result');
  });
});

describe.each(PLATFORMS)('interceptor: false on %s', (platform) => {
  it('lets users bind SessionInterceptor themselves', async () => {
    @Controller()
    class Bound {
      @Get('/bound')
      @HttpCode(200)
      bound(@Session() session: SecureCookieSession<Data>) {
        session.set('bound', true);
        return 'ok';
      }
    }
    UseInterceptors(SessionInterceptor)(
      Bound.prototype,
      'bound',
      Object.getOwnPropertyDescriptor(Bound.prototype, 'bound')!,
    );
    const app = await createApp({ SECRET_KEY, interceptor: false }, { controllers: [Bound] }, undefined, platform);
    const res = await request(app.getHttpServer()).get('/bound');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ bound: true });
    await app.close();
  });

  /** Opens on a later tick, as a store would. */
  class SlowOpeningInterface extends SessionInterface {
    private readonly cookies = new SecureCookieSessionInterface();
    async openSession(config: SessionConfig, request: SessionRequest) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return this.cookies.openSession(config, request);
    }
    saveSession(config: SessionConfig, session: SecureCookieSession, response: SessionResponse) {
      this.cookies.saveSession(config, session, response);
    }
  }

  @Controller()
  class Plain {
    @Get('/count')
    count(@Session() session: SecureCookieSession<{ n?: number }>) {
      const n = (session.get('n') ?? 0) + 1;
      session.set('n', n);
      return String(n);
    }
    @Get('/n')
    n(@Session('n') n?: number) {
      return String(n ?? 'none');
    }
    @Get('/manual')
    manual(@Session() session: SecureCookieSession<{ n?: number }>, @Res() res: Reply) {
      session.set('n', 100);
      if (isFastifyReply(res)) void res.send('manual');
      else res.send('manual');
    }
  }

  const interceptorsOf = (app: INestApplication): number =>
    // Global interceptors registered through APP_INTERCEPTOR end up in the application config.
    (
      app as unknown as { config: { getGlobalInterceptors(): unknown[]; getGlobalRequestInterceptors(): unknown[] } }
    ).config.getGlobalInterceptors().length;

  it.each([
    ['a synchronous interface (cookies)', undefined],
    ['an asynchronous interface', SlowOpeningInterface],
  ])('registers no interceptor; @Session() opens the session by itself with %s', async (_name, sessionInterface) => {
    const app = await createApp(
      { SECRET_KEY, interceptor: false, ...(sessionInterface ? { sessionInterface } : {}) },
      { controllers: [Plain] },
      undefined,
      platform,
    );
    expect(interceptorsOf(app)).toBe(0);
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/n')).text).toBe('none');
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    const read = await agent.get('/n');
    expect(read.text).toBe('2');
    expect(read.headers['vary']).toBe('Cookie');
    const manual = await agent.get('/manual');
    expect(manual.text).toBe('manual');
    expect(readSessionCookie(manual.headers['set-cookie'], { SECRET_KEY })).toEqual({ n: 100 });
    await app.close();
  });

  it('the default registers the interceptor, and forRootAsync takes interceptor: false beside the factory', async () => {
    const withInterceptor = await createApp({ SECRET_KEY }, { controllers: [Plain] }, undefined, platform);
    expect(interceptorsOf(withInterceptor)).toBe(1);
    await withInterceptor.close();
    const moduleRef = await Test.createTestingModule({
      imports: [SessionModule.forRootAsync({ useFactory: () => ({ SECRET_KEY }), interceptor: false })],
      controllers: [Plain],
    }).compile();
    const app = await createPlatformApp(moduleRef, platform);
    expect(interceptorsOf(app)).toBe(0);
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    await app.close();
  });
});

describe.each(PLATFORMS)('Nest middleware on %s', (platform) => {
  it('the middleware of other modules can use the session (getSession(req))', async () => {
    @Injectable()
    class RememberPath {
      async use(req: { originalUrl?: string; url: string }, _res: unknown, next: () => void) {
        const session = await getSession(req);
        session.set('lastPath', req.originalUrl ?? req.url);
        next();
      }
    }
    @Controller()
    class Paths {
      @Get('/where')
      where(@Session('lastPath') lastPath?: string) {
        return lastPath ?? 'nowhere';
      }
    }
    @Module({ controllers: [Paths], providers: [RememberPath] })
    class PathsModule implements NestModule {
      configure(consumer: MiddlewareConsumer) {
        consumer.apply(RememberPath).forRoutes('{*path}');
      }
    }
    const app = await createApp({ SECRET_KEY }, { imports: [PathsModule] }, undefined, platform);
    const errors = collectErrors(app);
    try {
      const agent = request.agent(app.getHttpServer());
      const first = await agent.get('/where?x=1');
      expect(errors).toEqual([]);
      expect(first.text).toBe('/where?x=1');
      expect(readSessionCookie((await agent.get('/where')).headers['set-cookie'], { SECRET_KEY })).toEqual({
        lastPath: '/where',
      });
    } finally {
      await app.close();
    }
  });
});
