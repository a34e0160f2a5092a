/**
 * Each app keeps its own binding: a request reaches its context factory through its own app
 * (Express's request prototype, Fastify's HTTP server), never through a process-wide list, so
 * two apps with different keys in one process each open sessions with their own key, from a
 * handler and from middleware that hands the raw request to `getSession()`.
 */
import { Controller, Get, Injectable, Module, type MiddlewareConsumer, type NestMiddleware, Req } from '@nestjs/common';
import { getSession, SessionModule } from 'nest-flask-session';
import request from 'supertest';
import { createPlatformApp, PLATFORMS, sessionCookieValue } from '../support/create-app.js';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';

@Injectable()
class StampMiddleware implements NestMiddleware {
  async use(req: object, _res: unknown, next: () => void): Promise<void> {
    const session = await getSession(req);
    (req as { seen?: unknown }).seen = session.get('app') ?? null;
    next();
  }
}

/** Middleware sees the raw request: Express's `req`, Fastify's `request.raw`. */
const rawOf = (req: object): Record<string, unknown> =>
  ((req as { raw?: object }).raw ?? req) as Record<string, unknown>;

@Controller()
class AppController {
  @Get('login')
  async login(@Req() req: object): Promise<string> {
    const session = await getSession(req);
    session.set('app', rawOf(req).appName);
    return 'ok';
  }

  @Get('whoami')
  whoami(@Req() req: object): { seen: unknown } {
    return { seen: rawOf(req).seen ?? null };
  }
}

function appModule(name: string, key: string) {
  @Injectable()
  class NameMiddleware implements NestMiddleware {
    use(req: object, _res: unknown, next: () => void): void {
      (req as { appName?: string }).appName = name;
      next();
    }
  }
  @Module({ imports: [SessionModule.forRoot({ SECRET_KEY: key })], controllers: [AppController] })
  class AppModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(NameMiddleware, StampMiddleware).forRoutes('*path');
    }
  }
  return AppModule;
}

describe.each(PLATFORMS)('two apps in one process on %s', (platform) => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('each opens sessions with its own key, from middleware and handlers', async () => {
    for (const [name, key] of [
      ['one', 'first app key, long enough to be a key'],
      ['two', 'second app key, long enough to be a key'],
    ] as const) {
      const moduleRef = await Test.createTestingModule({ imports: [appModule(name, key)] }).compile();
      apps.push(await createPlatformApp(moduleRef, platform));
    }
    const [one, two] = apps.map((app) => app.getHttpServer());
    const cookieOne = `session=${sessionCookieValue((await request(one).get('/login')).headers)}`;
    const cookieTwo = `session=${sessionCookieValue((await request(two).get('/login')).headers)}`;
    expect((await request(one).get('/whoami').set('Cookie', cookieOne)).body).toEqual({ seen: 'one' });
    expect((await request(two).get('/whoami').set('Cookie', cookieTwo)).body).toEqual({ seen: 'two' });
    // Signed with the other app's key: an empty session, never the other app's data.
    expect((await request(two).get('/whoami').set('Cookie', cookieOne)).body).toEqual({ seen: null });
    expect((await request(one).get('/whoami').set('Cookie', cookieTwo)).body).toEqual({ seen: null });
  });
});
