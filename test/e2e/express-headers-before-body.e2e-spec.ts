/**
 * Express with an interface that saves asynchronously (as Redis does): when the headers are asked
 * for before the body (an explicit writeHead(), compression's _implicitHeader(), flushHeaders()),
 * they wait for the save like the body does, so the cookie goes out and the connection is kept.
 */
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
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
import { readSessionCookie } from '../../lib/testing/index.js';
import { createApp } from '../support/create-app.js';

const SECRET_KEY = 'headers before body, a 40-byte test key';

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
class HeadersFirstController {
  @Get('/write-head')
  writeHead(@Session() session: SecureCookieSession, @Res() res: Response) {
    session.set('path', 'write-head');
    res.writeHead(201, { 'Content-Type': 'text/plain' });
    res.end('body after writeHead');
  }

  @Get('/implicit-header')
  implicitHeader(@Session() session: SecureCookieSession, @Res() res: Response) {
    session.set('path', 'implicit-header');
    // What compression's res.write/res.end do before calling the original.
    (res as unknown as { _implicitHeader(): void })._implicitHeader();
    res.write('part one, ');
    res.end('part two');
  }

  @Get('/flush-headers')
  flushHeaders(@Session() session: SecureCookieSession, @Res() res: Response) {
    session.set('path', 'flush-headers');
    res.setHeader('Content-Type', 'text/plain');
    res.flushHeaders();
    res.end('after flushHeaders');
  }
}

describe('headers asked for before the body, with an asynchronous save, on express', () => {
  it.each([
    ['/write-head', 201, 'body after writeHead'],
    ['/implicit-header', 200, 'part one, part two'],
    ['/flush-headers', 200, 'after flushHeaders'],
  ])('%s: the session cookie goes out with the headers, the body is whole', async (path, status, body) => {
    const app = await createApp(
      { SECRET_KEY, sessionInterface: SlowSavingInterface },
      { controllers: [HeadersFirstController] },
    );
    try {
      const res = await request(app.getHttpServer()).get(path);
      expect(res.status).toBe(status);
      expect(res.text).toBe(body);
      expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ path: path.slice(1) });
    } finally {
      await app.close();
    }
  });
});
