/**
 * What only the Fastify platform has: plugins that write headers of their own (@fastify/cookie,
 * other onSend hooks) and Fastify's `trustProxy` for the Secure-over-HTTP warning.
 */
import { Controller, Get, Req, Res, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { jest } from '@jest/globals';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import request from 'supertest';
import {
  getSession,
  SecureCookieSession,
  Session,
  SessionInterface,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { createApp, setCookies } from '../support/create-app.js';

const SECRET_KEY = 'fastify platform key';
type Data = Record<string, unknown>;

@Controller()
class PluginController {
  @Get('/both')
  both(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.setCookie('other', 'x', { path: '/' });
    session.set('mine', 1);
    return 'both';
  }

  @Get('/both-manual')
  bothManual(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.set('mine', 2);
    void reply.setCookie('other', 'y', { path: '/' }).send('both-manual');
  }

  @Get('/cookies')
  cookies(@Session() session: SecureCookieSession<Data>, @Req() req: FastifyRequest) {
    return { plugin: req.cookies, session: session.toJSON() };
  }

  @Get('/hijack')
  hijack(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.set('hijacked', true);
    reply.hijack();
    reply.raw.end('hijacked');
  }

  @Get('/secure')
  secure(@Session() session: SecureCookieSession<Data>) {
    session.set('s', 1);
    return '';
  }
}

/** A Nest-on-Fastify app set up the way an app with its own plugins is. */
async function fastifyApp(
  options: SessionModuleOptions,
  adapter = new FastifyAdapter(),
  beforeInit?: (app: NestFastifyApplication) => Promise<void>,
): Promise<NestFastifyApplication> {
  const app = await createApp(options, { controllers: [PluginController] }, undefined, 'fastify', {
    adapter,
    beforeInit,
  });
  return app as NestFastifyApplication;
}

describe('beside @fastify/cookie and other plugins on fastify', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await fastifyApp({ SECRET_KEY }, new FastifyAdapter(), async (nest) => {
      await nest.register(fastifyCookie);
      // Another plugin's onSend hook that sets a header of its own.
      nest
        .getHttpAdapter()
        .getInstance()
        .addHook('onSend', async (_request, reply, payload) => {
          reply.header('x-plugin', 'on');
          return payload;
        });
      // A route of a plugin, outside Nest's router: Fastify's request works with getSession().
      nest
        .getHttpAdapter()
        .getInstance()
        .get('/plugin-route', async (req) => {
          const session = await getSession<Data>(req);
          session.set('plugin', ((session.get('plugin') as number | undefined) ?? 0) + 1);
          return { plugin: session.get('plugin') };
        });
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['a returned value', '/both', { mine: 1 }, 'other=x'],
    ['@Res() with reply.send()', '/both-manual', { mine: 2 }, 'other=y'],
  ])('reply.setCookie() and the session both reach the client (%s)', async (_name, path, data, other) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(200);
    const cookies = setCookies(res.headers);
    expect(cookies).toHaveLength(2);
    expect(cookies.filter((line) => line.startsWith(`${other};`))).toHaveLength(1);
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual(data);
    expect(res.headers['x-plugin']).toBe('on');
    expect(res.headers.vary).toBe('Cookie');
  });

  it('a route a plugin registers on the Fastify instance has the session too', async () => {
    const res = await request(app.getHttpServer())
      .get('/plugin-route')
      .set('Cookie', createSessionCookie({ plugin: 4 }, { SECRET_KEY }));
    expect(res.body).toEqual({ plugin: 5 });
    expect(readSessionCookie(setCookies(res.headers), { SECRET_KEY })).toEqual({ plugin: 5 });
  });

  it('reply.hijack() then reply.raw: the session cannot be saved, and the log says so', async () => {
    const errors: string[] = [];
    app.useLogger({ log() {}, warn() {}, error: (message: unknown) => errors.push(String(message)) });
    const res = await request(app.getHttpServer()).get('/hijack');
    expect(res.text).toBe('hijacked');
    const saved = readSessionCookie(setCookies(res.headers), { SECRET_KEY });
    if (saved !== null) {
      expect(saved).toEqual({ hijacked: true });
      return;
    }
    const deadline = Date.now() + 2000;
    while (!errors.some((line) => line.includes('/hijack')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors.join('\n')).toMatch(/session changed during \/hijack but was not saved/);
  });

  it("@fastify/cookie parses the request's cookies and the session opens from the same header", async () => {
    const res = await request(app.getHttpServer())
      .get('/cookies')
      .set('Cookie', `a=1; ${createSessionCookie({ user: 'alice' }, { SECRET_KEY })}`);
    expect(res.body.session).toEqual({ user: 'alice' });
    expect(res.body.plugin).toMatchObject({ a: '1' });
    expect(typeof res.body.plugin.session).toBe('string');
  });
});

describe("Fastify's trustProxy and the Secure-over-HTTP warning on fastify", () => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  /** Starts an app with SESSION_COOKIE_SECURE; returns it with the interface's warnings. */
  const start = async (adapter: FastifyAdapter) => {
    const app = await fastifyApp({ SECRET_KEY, SESSION_COOKIE_SECURE: true }, adapter);
    apps.push(app);
    const warn = jest.fn<(message: string) => void>();
    app.get(SessionInterface).logger = { warn, error: jest.fn() };
    return { app, warn };
  };

  it('with trustProxy, a request the proxy says came over HTTPS gives no warning', async () => {
    const { app, warn } = await start(new FastifyAdapter({ trustProxy: true }));
    const res = await request(app.getHttpServer()).get('/secure').set('X-Forwarded-Proto', 'https');
    expect(setCookies(res.headers)[0]).toContain('; Secure');
    expect(warn).not.toHaveBeenCalled();
  });

  it('with trustProxy, a request over plain HTTP still gives the warning', async () => {
    const { app, warn } = await start(new FastifyAdapter({ trustProxy: true }));
    await request(app.getHttpServer()).get('/secure');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('is Secure but this request came over plain HTTP');
  });

  it('without trustProxy, X-Forwarded-Proto is not believed: the warning, once', async () => {
    const { app, warn } = await start(new FastifyAdapter());
    await request(app.getHttpServer()).get('/secure').set('X-Forwarded-Proto', 'https');
    await request(app.getHttpServer()).get('/secure').set('X-Forwarded-Proto', 'https');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('is Secure but this request came over plain HTTP');
  });

  it("the warning tells a Fastify app how to trust its proxy (Fastify's trustProxy, not Express's 'trust proxy')", async () => {
    const { app, warn } = await start(new FastifyAdapter());
    await request(app.getHttpServer()).get('/secure');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('trustProxy');
  });
});
