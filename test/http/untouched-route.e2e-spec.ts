/**
 * A route that never uses the session, on Express: Flask opens every request's session to
 * refresh a permanent one (flask/app.py `process_response`), so the binding asks the interface
 * before the headers go out, and creates a session context only when saving could write
 * something. Without a cookie, or with one it has verified before that is not permanent, the
 * request gets none; a permanent cookie is still refreshed.
 */
import { Controller, Get, Req } from '@nestjs/common';
import request from 'supertest';
import { SessionContext } from '../../lib/http/index.js';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { createApp, useApp } from '../support/create-app.js';

const SECRET_KEY = 'untouched route test key, long enough';

let lastRequest: object | undefined;

@Controller()
class PlainController {
  @Get('/plain')
  plain(@Req() req: object) {
    lastRequest = req;
    return 'plain';
  }
}

describe('a route without @Session() on Express', () => {
  const app = useApp(() => createApp({ SECRET_KEY }, { controllers: [PlainController] }));

  it.each([
    ['no cookie', undefined],
    ['a cookie that is not permanent', createSessionCookie({ user: 'alice' }, { SECRET_KEY })],
  ])('with %s gets no session context and no session headers', async (_case, cookie) => {
    const send = () => {
      const req = request(app.getHttpServer()).get('/plain');
      return cookie ? req.set('Cookie', cookie) : req;
    };
    // A cookie the process has not verified yet is opened once (its payload is not trusted
    // unverified); from then on the verified-cookie cache tells it is not permanent.
    if (cookie) await send();
    const res = await send();
    expect(res.text).toBe('plain');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(lastRequest).toBeDefined();
    expect(SessionContext.of(lastRequest!)).toBeUndefined();
  });

  it('with a permanent cookie opens and refreshes the session, as Flask does', async () => {
    const cookie = createSessionCookie({ _permanent: true, user: 'alice' }, { SECRET_KEY });
    const res = await request(app.getHttpServer()).get('/plain').set('Cookie', cookie);
    expect(SessionContext.of(lastRequest!)?.saved).toBe(true);
    expect(readSessionCookie(res.headers['set-cookie'], { SECRET_KEY })).toEqual({ _permanent: true, user: 'alice' });
    expect(res.headers.vary).toBe('Cookie');
  });
});
