/**
 * The error when a request has no session context says why: the module missing, or a request
 * that did not pass through the hooks of an app that has it. Which message applies depends on
 * the apps started in this process, so the tests run in order in their own test file.
 */
import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { getSession } from 'nest-flask-session';
import { createApp, createPlatformApp, PLATFORMS } from '../support/create-app.js';

@Controller()
class ReqController {
  @Get('/via-req')
  async viaReq(@Req() req: object) {
    return (await getSession(req)).toJSON();
  }
}

const messageOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

describe('the error when a request has no session context', () => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it.each(PLATFORMS)(
    'before any app imports SessionModule: an app on %s without it is told to import it',
    async (platform) => {
      const app = await createPlatformApp(
        await Test.createTestingModule({ controllers: [ReqController] }).compile(),
        platform,
      );
      apps.push(app);
      const errors: string[] = [];
      app.useLogger({
        log() {},
        warn() {},
        error: (message: unknown, ...rest: unknown[]) => errors.push([message, ...rest].map(String).join(' ')),
      });
      const res = await request(app.getHttpServer()).get('/via-req');
      expect(res.status).toBe(500);
      expect(errors.join('\n')).toContain(
        'No session on this request: import SessionModule.forRoot() in your application module.',
      );
      expect(await messageOf(getSession({}))).toBe(
        'No session on this request: import SessionModule.forRoot() in your application module.',
      );
    },
  );

  it('once a Fastify app has SessionModule: its requests have sessions, and a plain object is told it bypassed the hooks', async () => {
    const app = await createApp(
      { SECRET_KEY: 'missing context key' },
      { controllers: [ReqController] },
      undefined,
      'fastify',
    );
    apps.push(app);
    const res = await request(app.getHttpServer()).get('/via-req');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const message = await messageOf(getSession({}));
    expect(message).toContain(
      'No session on this request: it did not pass through the session hooks of an app that imports SessionModule',
    );
    expect(message).not.toContain('import SessionModule.forRoot()');
  });
});
