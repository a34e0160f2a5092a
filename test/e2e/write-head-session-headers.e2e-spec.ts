/**
 * Headers given to `writeHead(status, headers)` replace, in Node, those set before under the same
 * name: without care, a handler's own `Set-Cookie` or `Vary` would drop the session's cookie (a
 * logout's deletion included) and `Vary: Cookie`, and so would Nest's `@Sse()`, which passes the
 * response's headers as they were before the session was saved. The session's headers are merged
 * into the call, for every form of it (object, flat list, with a status message), with an
 * interface that saves at once and one that saves asynchronously (as Redis does): on Express
 * through `res.writeHead()`, on Fastify through `reply.raw.writeHead()`, which Fastify's hooks
 * never see, so the session is saved into `reply.raw` before its headers go out.
 */
import { jest } from '@jest/globals';
import { Controller, Get, Res, Sse, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import type { FastifyReply } from 'fastify';
import { of } from 'rxjs';
import request from 'supertest';
import {
  SecureCookieSessionInterface,
  Session,
  SessionInterface,
  type SecureCookieSession,
  type SessionConfig,
  type SessionRequest,
  type SessionResponse,
} from 'nest-flask-session';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { createApp, setCookies } from '../support/create-app.js';

/** The Nest major the suite runs on (the Nest 11 leg maps @nestjs/* to Nest 11). */
const NEST_MAJOR = Number(
  (jest.requireActual('@nestjs/core/package.json') as { version: string }).version.split('.')[0],
);
const SECRET_KEY = 'writeHead merge tests, a 40-byte test key';
type Data = Record<string, unknown>;

/** The cookie interface, saving on a later tick as a store would. */
class SlowSavingInterface extends SessionInterface {
  private readonly cookies = new SecureCookieSessionInterface();
  openSession(config: SessionConfig, request: SessionRequest) {
    return this.cookies.openSession(config, request);
  }
  async saveSession(config: SessionConfig, session: SecureCookieSession, response: SessionResponse) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.cookies.saveSession(config, session, response);
  }
}

@Controller()
class ExpressWriteHeadController {
  @Get('/logout')
  logout(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    session.clear();
    res.writeHead(200, { 'Set-Cookie': 'theme=dark; Path=/', Vary: 'Accept-Encoding', 'Content-Type': 'text/plain' });
    res.end('bye');
  }

  @Get('/login-list')
  loginList(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    session.set('user', 'list');
    res.writeHead(200, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Vary', 'Accept', 'Content-Type', 'text/plain']);
    res.end('list');
  }

  @Get('/login-message')
  loginMessage(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    session.set('user', 'message');
    res.writeHead(200, 'Fine', { 'set-cookie': ['c=3'], vary: 'Cookie, Accept' });
    res.end('message');
  }

  /** The app's cookie, repeated in writeHead as Nest's @Sse() does with the response's headers. */
  @Get('/repeated')
  repeated(@Session() session: SecureCookieSession<Data>, @Res() res: Response) {
    res.cookie('seen', '1');
    session.set('user', 'repeated');
    res.writeHead(200, { ...res.getHeaders(), 'content-type': 'text/plain' });
    res.end('repeated');
  }

  @Sse('/events')
  events(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) res: Response) {
    res.cookie('seen', '1');
    session.set('user', 'sse');
    return of({ data: 'hello' });
  }
}

@Controller()
class FastifyRawWriteHeadController {
  @Get('/logout')
  logout(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.clear();
    reply.raw.writeHead(200, {
      'Set-Cookie': 'theme=dark; Path=/',
      Vary: 'Accept-Encoding',
      'Content-Type': 'text/plain',
    });
    reply.raw.end('bye');
  }

  @Get('/login-list')
  loginList(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.set('user', 'list');
    reply.raw.writeHead(200, [
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'Vary',
      'Accept',
      'Content-Type',
      'text/plain',
    ]);
    reply.raw.end('list');
  }

  @Get('/login-write')
  loginWrite(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.set('user', 'write');
    reply.raw.write('part one, ');
    reply.raw.end('part two');
  }

  @Sse('/events')
  events(@Session() session: SecureCookieSession<Data>, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('set-cookie', 'seen=1');
    session.set('user', 'sse');
    return of({ data: 'hello' });
  }
}

const LOGGED_IN = () => createSessionCookie({ user: 'alice' }, { SECRET_KEY });

function varyFields(value: unknown): string[] {
  return String(value ?? '')
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter(Boolean);
}

describe.each([
  ['saving at once', SecureCookieSessionInterface],
  ['saving asynchronously', SlowSavingInterface],
])('writeHead() with headers keeps the session headers on express (%s)', (_label, sessionInterface) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({ SECRET_KEY, sessionInterface }, { controllers: [ExpressWriteHeadController] });
  });
  afterAll(async () => {
    await app.close();
  });

  it("a logout's cookie deletion and Vary: Cookie survive the handler's own Set-Cookie and Vary", async () => {
    const res = await request(app.getHttpServer()).get('/logout').set('Cookie', LOGGED_IN());
    expect(res.status).toBe(200);
    expect(res.text).toBe('bye');
    const cookies = setCookies(res.headers);
    expect(cookies).toContain('theme=dark; Path=/');
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({});
    expect(cookies.filter((line) => line.startsWith('session='))).toHaveLength(1);
    expect(varyFields(res.headers.vary)).toEqual(expect.arrayContaining(['accept-encoding', 'cookie']));
  });

  it('headers as a flat list: every cookie goes out, Vary names Cookie too', async () => {
    const res = await request(app.getHttpServer()).get('/login-list');
    expect(res.text).toBe('list');
    const cookies = setCookies(res.headers);
    expect(cookies).toEqual(expect.arrayContaining(['a=1', 'b=2']));
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'list' });
    expect(varyFields(res.headers.vary)).toEqual(expect.arrayContaining(['accept', 'cookie']));
  });

  it('headers after a status message: both cookies, and Vary: Cookie is not repeated', async () => {
    const res = await request(app.getHttpServer()).get('/login-message');
    expect(res.text).toBe('message');
    const cookies = setCookies(res.headers);
    expect(cookies).toContain('c=3');
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'message' });
    expect(varyFields(res.headers.vary)).toEqual(['cookie', 'accept']);
  });

  it("the response's own headers passed back to writeHead: each cookie once, the session's included", async () => {
    const res = await request(app.getHttpServer()).get('/repeated');
    const cookies = setCookies(res.headers);
    expect(cookies.filter((line) => line.startsWith('seen=1'))).toHaveLength(1);
    expect(cookies.filter((line) => line.startsWith('session='))).toHaveLength(1);
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'repeated' });
  });

  it("Nest's @Sse() after res.cookie(): the session cookie goes out with the stream's headers", async () => {
    const res = await request(app.getHttpServer()).get('/events');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.text).toContain('data: hello');
    const cookies = setCookies(res.headers);
    expect(cookies.filter((line) => line.startsWith('seen=1'))).toHaveLength(1);
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'sse' });
    expect(varyFields(res.headers.vary)).toContain('cookie');
  });
});

describe.each([
  ['saving at once', SecureCookieSessionInterface],
  ['saving asynchronously', SlowSavingInterface],
])('reply.raw.writeHead() with headers keeps the session headers on fastify (%s)', (_label, sessionInterface) => {
  let app: INestApplication;
  const errors: string[] = [];
  beforeAll(async () => {
    app = await createApp(
      { SECRET_KEY, sessionInterface },
      { controllers: [FastifyRawWriteHeadController] },
      undefined,
      'fastify',
    );
    app.useLogger({ log() {}, warn() {}, error: (message: unknown) => errors.push(String(message)) });
  });
  afterAll(async () => {
    await app.close();
  });

  it("a logout's cookie deletion and Vary: Cookie survive the handler's own Set-Cookie and Vary", async () => {
    const res = await request(app.getHttpServer()).get('/logout').set('Cookie', LOGGED_IN());
    expect(res.status).toBe(200);
    expect(res.text).toBe('bye');
    const cookies = setCookies(res.headers);
    expect(cookies).toContain('theme=dark; Path=/');
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({});
    expect(varyFields(res.headers.vary)).toEqual(expect.arrayContaining(['accept-encoding', 'cookie']));
  });

  it('headers as a flat list: every cookie goes out, Vary names Cookie too', async () => {
    const res = await request(app.getHttpServer()).get('/login-list');
    expect(res.text).toBe('list');
    const cookies = setCookies(res.headers);
    expect(cookies).toEqual(expect.arrayContaining(['a=1', 'b=2']));
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'list' });
    expect(varyFields(res.headers.vary)).toEqual(expect.arrayContaining(['accept', 'cookie']));
  });

  it('reply.raw.write() then end(): the session cookie goes out, the body is whole', async () => {
    const res = await request(app.getHttpServer()).get('/login-write');
    expect(res.text).toBe('part one, part two');
    expect(readSessionCookie(setCookies(res.headers), { SECRET_KEY })).toEqual({ user: 'write' });
  });

  it("Nest's @Sse() after reply.header('set-cookie'): the session cookie goes out with the stream's headers", async () => {
    const res = await request(app.getHttpServer()).get('/events');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data: hello');
    const cookies = setCookies(res.headers);
    // Nest 12 hands the reply's headers to the event stream; Nest 11 on Fastify drops them
    // (its own behaviour, with or without sessions), so only the session cookie is asserted there.
    if (NEST_MAJOR >= 12) expect(cookies.filter((line) => line.startsWith('seen=1'))).toHaveLength(1);
    expect(readSessionCookie(cookies, { SECRET_KEY })).toEqual({ user: 'sse' });
  });

  it('nothing was logged: no session was lost', () => {
    expect(errors).toEqual([]);
  });
});
