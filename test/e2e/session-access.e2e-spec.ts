/**
 * How request code may use a session: through its methods only. Flask's `session['user_id'] = 5`
 * would set a property that is never saved, so it fails at once with an error naming
 * `session.set('user_id', 5)`; reading a stored key with brackets names `session.get()`. A
 * parameter declared as a backend's class (`RedisSession`) that the configured interface does not
 * give fails with an error naming both. Sessions built by hand (tests, custom interfaces) keep
 * plain JavaScript properties.
 */
import {
  Catch,
  Controller,
  Get,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  RedisSession,
  RedisSessionInterface,
  SecureCookieSession,
  Session,
  type SessionMixin,
  type SessionModuleOptions,
} from 'nest-flask-session';
import request from 'supertest';
import { createApp, PLATFORMS, sessionCookieValue } from '../support/create-app.js';
import { MemoryRedis } from '../support/memory-redis.js';

const SECRET_KEY = 'bracket access test key';

/** Answers any error with its message, so a test can read what the app would log. */
@Catch()
class MessageFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{ json?: unknown }>();
    const status = error instanceof HttpException ? error.getStatus() : 500;
    const body = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    // Express's response has status().json(); Fastify's reply has code().send().
    const express = response as { status(code: number): { json(body: unknown): void } };
    const fastify = response as { code(code: number): { send(body: unknown): void } };
    if (typeof response.json === 'function') express.status(status).json(body);
    else fastify.code(status).send(body);
  }
}

function attempt(action: () => unknown): string {
  try {
    action();
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  }
}

@Controller()
class BracketController {
  @Get('write')
  write(@Session() session: SessionMixin) {
    const message = attempt(() => {
      (session as unknown as Record<string, unknown>)['user_id'] = 5;
    });
    return { message, stored: session.toJSON() };
  }

  @Get('read')
  read(@Session() session: SessionMixin) {
    session.set('user_id', 5);
    const message = attempt(() => (session as unknown as Record<string, unknown>)['user_id']);
    const absent = (session as unknown as Record<string, unknown>)['not_stored'];
    return { message, absent: absent === undefined, viaGet: session.get('user_id') };
  }

  @Get('members')
  members(@Session() session: SessionMixin) {
    session.modified = true;
    session.permanent = true;
    session.set('n', 1);
    return { modified: session.modified, permanent: session.permanent, json: JSON.stringify(session) };
  }

  @Get('as-redis')
  asRedis(@Session() session: RedisSession) {
    return { id: session.id };
  }

  @Get('as-cookie-session')
  asCookieSession(@Session() session: SecureCookieSession) {
    session.set('n', 1);
    return { ok: true };
  }
}

async function appWith(options: SessionModuleOptions, platform: (typeof PLATFORMS)[number]): Promise<INestApplication> {
  return createApp(
    { SECRET_KEY, ...options },
    { controllers: [BracketController], providers: [{ provide: APP_FILTER, useClass: MessageFilter }] },
    undefined,
    platform,
  );
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('signed cookies', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({}, platform);
    });
    afterAll(() => app.close());

    it("session['user_id'] = 5 throws at once, naming session.set('user_id', 5), and stores nothing", async () => {
      const res = await request(app.getHttpServer()).get('/write').expect(200);
      expect(res.body.message).toContain("session.set('user_id', 5)");
      expect(res.body.stored).toEqual({});
      expect(sessionCookieValue(res.headers)).toBeUndefined();
    });

    it("reading a stored key with brackets throws, naming session.get('user_id'); an absent key reads undefined", async () => {
      const res = await request(app.getHttpServer()).get('/read').expect(200);
      expect(res.body).toEqual({
        message: expect.stringContaining("session.get('user_id')"),
        absent: true,
        viaGet: 5,
      });
    });

    it('members (flags, permanent, toJSON) work as before on a guarded session', async () => {
      const res = await request(app.getHttpServer()).get('/members').expect(200);
      expect(res.body).toEqual({ modified: true, permanent: true, json: '{"_permanent":true,"n":1}' });
    });

    it('a parameter declared RedisSession fails with an error naming the configured interface', async () => {
      const res = await request(app.getHttpServer()).get('/as-redis').expect(500);
      expect(res.body.error).toContain('TypeError: @Session() in BracketController.asRedis() is declared RedisSession');
      expect(res.body.error).toContain('SecureCookieSessionInterface');
      expect(res.body.error).toContain('SessionMixin');
    });
  });

  describe('Redis', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ sessionInterface: new RedisSessionInterface({ client: new MemoryRedis() }) }, platform);
    });
    afterAll(() => app.close());

    it('a parameter declared RedisSession gets the Redis session', async () => {
      const res = await request(app.getHttpServer()).get('/as-redis').expect(200);
      expect(res.body.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('a parameter declared SecureCookieSession takes any session, a Redis one too', async () => {
      await request(app.getHttpServer()).get('/as-cookie-session').expect(200, { ok: true });
    });

    it("session['user_id'] = 5 throws on a Redis session too", async () => {
      const res = await request(app.getHttpServer()).get('/write').expect(200);
      expect(res.body.message).toContain("session.set('user_id', 5)");
    });
  });
});

it('a session built by hand (not handed to request code) keeps plain JavaScript properties', () => {
  const session = new SecureCookieSession() as SecureCookieSession & Record<string, unknown>;
  session['extra'] = 1;
  expect(session['extra']).toBe(1);
  expect(session.size).toBe(0);
  class WithField extends SecureCookieSession {
    constructor() {
      super();
      (this as unknown as Record<string, unknown>)['label'] = 'assigned in a constructor';
    }
  }
  expect((new WithField() as unknown as Record<string, unknown>)['label']).toBe('assigned in a constructor');
});
