/**
 * The session interceptor runs only on handlers that take `@Session()`: routes that never use the
 * session skip Nest's interceptor pipeline, yet everything the global interceptor did keeps
 * working: a guard's `getSession()` on such a route is saved, `@Res()` routes are saved, an
 * exception filter's change is saved, and on `@Session()` routes a save error still goes through
 * the app's exception filters. Controllers shared by two apps (one with `interceptor: false`) keep
 * their own interceptor metadata.
 */
import { jest } from '@jest/globals';
import {
  Catch,
  Controller,
  Get,
  Injectable,
  Res,
  ServiceUnavailableException,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  getSession,
  SecureCookieSession,
  SecureCookieSessionInterface,
  Session,
  SessionInterceptor,
  SessionModule,
  SessionStoreUnavailableError,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { map } from 'rxjs';
import request from 'supertest';
import { createPlatformApp, PLATFORMS, type Platform } from '../support/create-app.js';

const SECRET_KEY = 'route-scoped interceptor test key';

@Injectable()
class VisitGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession(context);
    session.set('visits', Number(session.get('visits') ?? 0) + 1);
    return true;
  }
}

/** A method-level interceptor of the app's own, which must keep running beside the session's. */
@Injectable()
class TagInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(map((value: unknown) => `${String(value)}+tag`));
  }
}

@Controller()
class ScopeController {
  @Get('plain')
  plain() {
    return 'plain';
  }

  @Get('guarded')
  @UseGuards(VisitGuard)
  guarded() {
    return 'guarded';
  }

  @Get('with-session')
  withSession(@Session() session: SecureCookieSession<{ n?: number }>) {
    const n = (session.get('n') ?? 0) + 1;
    session.set('n', n);
    return String(n);
  }

  @Get('tagged')
  @UseInterceptors(TagInterceptor)
  tagged(@Session('n') n?: number) {
    return String(n ?? 0);
  }

  @Get('raw-session')
  rawSession(@Session() session: SecureCookieSession, @Res() res: { send: (body: string) => void }) {
    session.set('raw', true);
    res.send('raw-session');
  }

  @Get('fails')
  fails() {
    throw new ServiceUnavailableException('down');
  }
}

@Catch(ServiceUnavailableException)
class FlashingFilter implements ExceptionFilter {
  async catch(exception: ServiceUnavailableException, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<object>();
    const session = await getSession(req);
    session.set('failed', exception.message);
    const res = http.getResponse<{ status?: (code: number) => unknown; code?: (code: number) => unknown }>();
    const reply = res as unknown as {
      status: (code: number) => { send: (body: unknown) => void };
      code?: (code: number) => { send: (body: unknown) => void };
    };
    (reply.code ?? reply.status).call(reply, 503).send(`filtered: ${exception.message}`);
  }
}

async function createApp(platform: Platform, options: SessionModuleOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [SessionModule.forRoot({ SECRET_KEY, ...options })],
    controllers: [ScopeController],
    providers: [VisitGuard, TagInterceptor, { provide: APP_FILTER, useClass: FlashingFilter }],
  }).compile();
  return createPlatformApp(moduleRef, platform);
}

const interceptMetadata = (handler: (...args: never[]) => unknown): unknown =>
  Reflect.getOwnMetadata('__interceptors__', handler);

describe.each(PLATFORMS)('the session interceptor on %s', (platform) => {
  let app: INestApplication;
  const calls = jest.spyOn(SessionInterceptor.prototype, 'intercept');
  beforeAll(async () => {
    app = await createApp(platform);
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => calls.mockClear());

  it('does not run on a route without @Session(), with or without a cookie', async () => {
    const cookie = createSessionCookie({ n: 1 }, { SECRET_KEY });
    expect((await request(app.getHttpServer()).get('/plain')).text).toBe('plain');
    const res = await request(app.getHttpServer()).get('/plain').set('Cookie', cookie);
    expect(res.text).toBe('plain');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(calls).not.toHaveBeenCalled();
  });

  it('runs on a route with @Session(), which opens and saves as before', async () => {
    const res = await request(app.getHttpServer())
      .get('/with-session')
      .set('Cookie', createSessionCookie({ n: 4 }, { SECRET_KEY }));
    expect(res.text).toBe('5');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ n: 5 });
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it("keeps the handler's own interceptors", async () => {
    const res = await request(app.getHttpServer())
      .get('/tagged')
      .set('Cookie', createSessionCookie({ n: 2 }, { SECRET_KEY }));
    expect(res.text).toBe('2+tag');
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('a route without @Session() still saves the session a guard opened with getSession()', async () => {
    const res = await request(app.getHttpServer())
      .get('/guarded')
      .set('Cookie', createSessionCookie({ visits: 2 }, { SECRET_KEY }));
    expect(res.text).toBe('guarded');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ visits: 3 });
    expect(calls).not.toHaveBeenCalled();
  });

  it('a @Res() route with @Session() is saved when it sends', async () => {
    const res = await request(app.getHttpServer()).get('/raw-session');
    expect(res.text).toBe('raw-session');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ raw: true });
  });

  it("an exception filter's change on a route without @Session() is saved with the filter's response", async () => {
    const res = await request(app.getHttpServer()).get('/fails');
    expect(res.status).toBe(503);
    expect(res.text).toBe('filtered: down');
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ failed: 'down' });
  });

  it('a permanent session is still refreshed on a route without @Session()', async () => {
    const res = await request(app.getHttpServer())
      .get('/plain')
      .set('Cookie', createSessionCookie({ _permanent: true, n: 1 }, { SECRET_KEY }));
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ _permanent: true, n: 1 });
    expect(calls).not.toHaveBeenCalled();
  });

  it("leaves no trace in the controller's metadata once the app is up", () => {
    expect(interceptMetadata(ScopeController.prototype.withSession)).toBeUndefined();
    expect(interceptMetadata(ScopeController.prototype.tagged)).toEqual([TagInterceptor]);
  });
});

describe.each(PLATFORMS)('a save error on a @Session() route on %s', (platform) => {
  it("goes through the app's exception filters, as the interceptor saves in the handler's chain", async () => {
    class Unavailable extends SecureCookieSessionInterface {
      override saveSession(): void {
        throw new SessionStoreUnavailableError('the store is down');
      }
    }
    const app = await createApp(platform, { sessionInterface: Unavailable });
    try {
      const res = await request(app.getHttpServer()).get('/with-session');
      expect(res.status).toBe(503);
      expect(res.text).toMatch(/^filtered: /);
    } finally {
      await app.close();
    }
  });
});

describe.each(PLATFORMS)('two apps sharing a controller on %s', (platform) => {
  it('one with interceptor: false runs no interceptor; the other runs it on @Session() routes only', async () => {
    const calls = jest.spyOn(SessionInterceptor.prototype, 'intercept');
    const [withInterceptor, without] = await Promise.all([
      createApp(platform),
      createApp(platform, { interceptor: false }),
    ]);
    try {
      calls.mockClear();
      for (const app of [withInterceptor, without]) {
        const res = await request(app.getHttpServer())
          .get('/with-session')
          .set('Cookie', createSessionCookie({ n: 1 }, { SECRET_KEY }));
        expect(res.text).toBe('2');
        await request(app.getHttpServer()).get('/plain');
      }
      expect(calls).toHaveBeenCalledTimes(1);
      expect(interceptMetadata(ScopeController.prototype.withSession)).toBeUndefined();
    } finally {
      calls.mockRestore();
      await withInterceptor.close();
      await without.close();
    }
  });
});
