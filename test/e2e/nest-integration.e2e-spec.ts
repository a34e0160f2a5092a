import { Readable } from 'node:stream';
import {
  BadRequestException,
  CanActivate,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Redirect,
  Res,
  StreamableFile,
  UseGuards,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { jest } from '@jest/globals';
import type { Response } from 'express';
import { lastValueFrom, of, delay } from 'rxjs';
import request from 'supertest';
import {
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
import { createApp, sessionCookieValue, setCookies } from './create-app.js';

const SECRET_KEY = 'integration key';
type Data = Record<string, unknown>;

@Injectable()
class RememberUrlGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession<{ userId?: number; next?: string }>(context);
    if (session.get('userId')) return true;
    session.set('next', context.switchToHttp().getRequest<{ url: string }>().url);
    throw new ForbiddenException('log in first');
  }
}

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
  passthrough(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) res: Response) {
    session.set('path', 'passthrough');
    res.status(201);
    return 'passthrough';
  }

  @Get('/manual')
  manual(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    session.set('path', 'manual');
    res.status(200).send('manual');
  }

  @Get('/manual-later')
  manualLater(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    setTimeout(() => {
      session.set('path', 'manual-later');
      res.json({ later: true });
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

  @Get('/permanent')
  permanent(@Session() session: SecureCookieSession<Data>) {
    session.permanent = true;
    session.set('p', 1);
    return '';
  }
}

describe('every way a response leaves saves the session', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({ SECRET_KEY }, { controllers: [PathsController] });
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
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ path: path.slice(1) });
    // Express's redirect adds `Vary: Accept` after us; Cookie must be there exactly once.
    expect(res.headers.vary.split(', ').filter((field: string) => field === 'Cookie')).toHaveLength(1);
  });

  it('a guard reads and writes the session, also when it rejects; the handler after login sees it', async () => {
    const agent = request.agent(app.getHttpServer());
    const denied = await agent.get('/guarded?x=1');
    expect(denied.status).toBe(403);
    expect(readSessionCookie(denied.headers['set-cookie'], { SECRET_KEY })).toEqual({ next: '/guarded?x=1' });
    expect((await agent.get('/login')).body).toEqual({ next: '/guarded?x=1' });
    expect((await agent.get('/guarded')).text).toBe('secret');
  });

  it("@Session('key') returns one value", async () => {
    const res = await request(app.getHttpServer()).get('/user').set('Cookie', createSessionCookie({ userId: 3 }, { SECRET_KEY }));
    expect(res.body).toEqual({ userId: 3 });
    expect(res.headers.vary).toBe('Cookie');
  });

  it('an unknown route refreshes a permanent session, as Flask does on 404s', async () => {
    const cookie = `session=${sessionCookieValue((await request(app.getHttpServer()).get('/permanent')).headers)}`;
    const res = await request(app.getHttpServer()).get('/no-such-route').set('Cookie', cookie);
    expect(res.status).toBe(404);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ _permanent: true, p: 1 });
  });

  it('a tampered or garbage cookie is a fresh session, never an error', async () => {
    const good = createSessionCookie({ userId: 1 }, { SECRET_KEY });
    for (const cookie of [`${good.slice(0, -2)}xx`, 'session=garbage', 'session=...', 'session=%ff%00', `session=${'a'.repeat(5000)}`]) {
      const res = await request(app.getHttpServer()).get('/read').set('Cookie', cookie);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    }
  });

  it('testing helpers: readSessionCookie tells a deletion from no cookie', () => {
    expect(readSessionCookie(undefined, { SECRET_KEY })).toBeNull();
    expect(readSessionCookie(['other=1'], { SECRET_KEY })).toBeNull();
    expect(readSessionCookie(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'], { SECRET_KEY })).toEqual({});
  });
});

describe('configuration', () => {
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
    app = await createApp({}, { imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })], controllers: [ConfigController] });
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
    app = await createApp({}, { imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SECRET_KEY: 'k', SECRET_KEY_FALLBACKS: '["a","b,c"]' })] })], controllers: [ConfigController] });
    expect((await request(app.getHttpServer()).get('/config')).body.SECRET_KEY_FALLBACKS).toEqual(['a', 'b,c']);
  });

  it('an explicit option beats ConfigService', async () => {
    app = await createApp(
      { SESSION_COOKIE_NAME: 'explicit', PERMANENT_SESSION_LIFETIME: 60 },
      { imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })], controllers: [ConfigController] },
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
          useFactory: (config: ConfigService) => ({ SECRET_KEY: config.get<string>('APP_SECRET'), SESSION_COOKIE_NAME: 'async' }),
        }),
      ],
      controllers: [ConfigController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const header = setCookies((await request(app.getHttpServer()).get('/set')).headers)[0]!;
    expect(readSessionCookie([header], { SECRET_KEY: 'async-secret', SESSION_COOKIE_NAME: 'async' })).toEqual({ a: 1, _permanent: true });
  });

  it.each([
    [{ SESSION_COOKIE_SAMESITE: 'sometimes' }, 'SESSION_COOKIE_SAMESITE'],
    [{ SESSION_COOKIE_SAMESITE: 'None' }, "SESSION_COOKIE_SAMESITE is 'None'"],
    [{ SESSION_COOKIE_NAME: '__Host-sid' }, '__Host-, which needs SESSION_COOKIE_SECURE'],
    [{ SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, SESSION_COOKIE_DOMAIN: 'example.com' }, 'forbids SESSION_COOKIE_DOMAIN'],
    [{ SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, APPLICATION_ROOT: '/app' }, "needs the cookie path '/'"],
    [{ SESSION_COOKIE_NAME: '__Secure-sid' }, '__Secure-, which needs SESSION_COOKIE_SECURE'],
    [{ SESSION_COOKIE_NAME: 'bad name;' }, 'SESSION_COOKIE_NAME must be a cookie token'],
    [{ PERMANENT_SESSION_LIFETIME: -1 }, 'PERMANENT_SESSION_LIFETIME must be zero or a positive number'],
    [{ PERMANENT_SESSION_LIFETIME: 'soon' as unknown as number }, 'PERMANENT_SESSION_LIFETIME must be zero or a positive number'],
    [{ SECRET_KEY_FALLBACKS: 'old' as unknown as string[] }, 'SECRET_KEY_FALLBACKS must be a list'],
    [{ MAX_COOKIE_SIZE: -1 }, 'MAX_COOKIE_SIZE must be a whole number'],
    [{ SESSION_COOKIE_SECURE: 'maybe' as unknown as boolean }, 'SESSION_COOKIE_SECURE must be true or false'],
    [{ SESSION_COOKIE_SIZE_POLICY: 'panic' as 'warn' }, 'SESSION_COOKIE_SIZE_POLICY'],
  ])('start-up validation: %j', async (options, message) => {
    await expect(createApp({ SECRET_KEY, ...options }, { controllers: [ConfigController] })).rejects.toThrow(message);
  });

  it('no SECRET_KEY is not an error: one start-up warning, a null session', async () => {
    const { Logger } = await import('@nestjs/common');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const moduleRef = await Test.createTestingModule({ imports: [SessionModule.forRoot()], controllers: [ConfigController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const warnings = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('SECRET_KEY'));
    warn.mockRestore();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('No SECRET_KEY is set');
    const res = await request(app.getHttpServer()).get('/config');
    expect(res.body.SECRET_KEY).toBeNull();
  });
});

describe('custom SessionInterface', () => {
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
        SessionModule.forRootAsync({ imports: [AuditModule], useFactory: () => ({ SECRET_KEY, sessionInterface: MemorySessionInterface }) }),
      ],
      controllers: [CounterController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    const iface = app.get(SessionInterface) as MemorySessionInterface;
    expect(iface).toBeInstanceOf(MemorySessionInterface);
    expect(iface.audit.entries).toHaveLength(2);
  });

  it('by overrideProvider(SessionInterface)', async () => {
    const audit = new AuditLog();
    app = await createApp({ SECRET_KEY }, { controllers: [CounterController] }, (builder) =>
      builder.overrideProvider(SessionInterface).useValue(new MemorySessionInterface(audit)),
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
    app = await createApp({ SECRET_KEY, sessionInterface: DownInterface }, { controllers: [CounterController] });
    const errors: string[] = [];
    app.useLogger({ log() {}, warn() {}, error: (m: unknown) => errors.push(String(m)) });
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
    app = await createApp({ SECRET_KEY, sessionInterface: BrokenSave }, { controllers: [CounterController, PathsController] });
    const errors: string[] = [];
    app.useLogger({ log() {}, warn() {}, error: (m: unknown) => errors.push(String(m)) });
    for (const path of ['/count', '/manual', '/http-error']) {
      const res = await request(app.getHttpServer()).get(path);
      expect(res.status).toBe(500);
      expect(setCookies(res.headers)).toEqual([]);
    }
    expect(errors.filter((line) => line.includes('disk full'))).toHaveLength(3);
  });
});

describe('sharing and rotation over HTTP', () => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('two apps with the same SECRET_KEY share sessions', async () => {
    const one = await createApp({ SECRET_KEY }, { controllers: [PathsController] });
    const two = await createApp({ SECRET_KEY }, { controllers: [PathsController] });
    apps.push(one, two);
    const cookie = `session=${sessionCookieValue((await request(one.getHttpServer()).get('/login')).headers)}`;
    expect((await request(two.getHttpServer()).get('/read').set('Cookie', cookie)).body).toEqual({ userId: 7 });
  });

  it('SECRET_KEY_FALLBACKS: an old-key cookie opens and is re-signed with the new key when saved', async () => {
    const old = await createApp({ SECRET_KEY: 'old key' }, { controllers: [PathsController] });
    const rotated = await createApp({ SECRET_KEY: 'new key', SECRET_KEY_FALLBACKS: ['old key'] }, { controllers: [PathsController] });
    apps.push(old, rotated);
    const oldCookie = `session=${sessionCookieValue((await request(old.getHttpServer()).get('/login')).headers)}`;
    const res = await request(rotated.getHttpServer()).get('/returned').set('Cookie', oldCookie);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY: 'new key' })).toEqual({ userId: 7, path: 'returned' });
    expect(() => readSessionCookie(res.headers['set-cookie'], { SECRET_KEY: 'old key' })).toThrow();
  });
});

describe('non-HTTP contexts', () => {
  it('the interceptor passes them through untouched', async () => {
    const interceptor = new SessionInterceptor({ get: () => true } as never);
    const context = { getType: () => 'rpc', switchToHttp: () => { throw new Error('not http'); } } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => of('rpc result') };
    expect(await lastValueFrom(await interceptor.intercept(context, next))).toBe('rpc result');
  });
});

describe('interceptor: false', () => {
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
    const { UseInterceptors } = await import('@nestjs/common');
    UseInterceptors(SessionInterceptor)(Bound.prototype, 'bound', Object.getOwnPropertyDescriptor(Bound.prototype, 'bound')!);
    const app = await createApp({ SECRET_KEY, interceptor: false }, { controllers: [Bound] });
    const res = await request(app.getHttpServer()).get('/bound');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ bound: true });
    await app.close();
  });
});

describe('interceptor: false registers no interceptor at all', () => {
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
  }

  const interceptorsOf = (app: INestApplication): number =>
    // Global interceptors registered through APP_INTERCEPTOR end up in the application config.
    (app as unknown as { config: { getGlobalInterceptors(): unknown[]; getGlobalRequestInterceptors(): unknown[] } }).config.getGlobalInterceptors().length;

  it.each([
    ['a synchronous interface (cookies)', undefined],
    ['an asynchronous interface', SlowOpeningInterface],
  ])('@Session() opens the session by itself with %s', async (_name, sessionInterface) => {
    const app = await createApp({ SECRET_KEY, interceptor: false, ...(sessionInterface ? { sessionInterface } : {}) }, { controllers: [Plain] });
    expect(interceptorsOf(app)).toBe(0);
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/n')).text).toBe('none');
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    const read = await agent.get('/n');
    expect(read.text).toBe('2');
    expect(read.headers['vary']).toBe('Cookie');
    await app.close();
  });

  it('the default registers the interceptor, and forRootAsync takes interceptor: false beside the factory', async () => {
    const withInterceptor = await createApp({ SECRET_KEY }, { controllers: [Plain] });
    expect(interceptorsOf(withInterceptor)).toBe(1);
    await withInterceptor.close();
    const moduleRef = await Test.createTestingModule({
      imports: [SessionModule.forRootAsync({ useFactory: () => ({ SECRET_KEY }), interceptor: false })],
      controllers: [Plain],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(interceptorsOf(app)).toBe(0);
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/count')).text).toBe('1');
    expect((await agent.get('/count')).text).toBe('2');
    await app.close();
  });
});

describe('the session middleware on Express', () => {
  it('runs before the middleware of other modules, which can use the session', async () => {
    @Injectable()
    class RememberPath {
      async use(req: { originalUrl: string }, _res: unknown, next: () => void) {
        const session = await getSession(req);
        session.set('lastPath', req.originalUrl);
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
    const app = await createApp({ SECRET_KEY }, { imports: [PathsModule] });
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/where?x=1')).text).toBe('/where?x=1');
    expect(readSessionCookie((await agent.get('/where')).headers['set-cookie'], { SECRET_KEY })).toEqual({ lastPath: '/where' });
    await app.close();
  });
});
