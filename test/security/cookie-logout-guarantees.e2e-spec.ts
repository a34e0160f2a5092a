/**
 * What a logout guarantees with cookie sessions (signed and encrypted), on Express and Fastify:
 * clear() makes the response delete the cookie, or replace it when the logout writes again, and a
 * copy of the cookie taken before the logout keeps opening the logged-in session until it expires
 * (cookie sessions cannot be revoked, as in Flask).
 */
import { Controller, Get, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, type SecureCookieSession } from 'nest-flask-session';
import { createApp, sessionCookieValue, setCookies } from '../support/create-app.js';
import { cookieInterface, PLATFORM_COOKIE_INTERFACES } from '../support/cookie-interfaces.js';

const SECRET_KEY = 'cookie logout tests: a key of 48 random bytes....';

@Controller()
class AccountController {
  @Get('/login')
  login(@Session() session: SecureCookieSession) {
    session.set('user_id', 'alice');
    session.set('theme', 'dark');
    return '';
  }
  @Get('/me')
  me(@Session() session: SecureCookieSession) {
    return { user: session.get('user_id') ?? null, notice: session.get('notice') ?? null };
  }
  @Get('/logout/clear')
  logoutClear(@Session() session: SecureCookieSession) {
    session.clear();
    return '';
  }
  @Get('/logout/clear-and-write')
  logoutClearAndWrite(@Session() session: SecureCookieSession) {
    session.clear();
    session.set('notice', 'You are logged out.');
    return '';
  }
  @Get('/logout/pop')
  logoutPop(@Session() session: SecureCookieSession) {
    session.pop('user_id', null);
    return '';
  }
}

describe.each(PLATFORM_COOKIE_INTERFACES)('cookie-session logouts on %s with %s cookies', (platform, kind) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(
      { SECRET_KEY, ...cookieInterface(kind).option },
      { controllers: [AccountController] },
      undefined,
      platform,
    );
  });
  afterAll(async () => {
    await app.close();
  });
  const me = async (cookie: string) =>
    (await request(app.getHttpServer()).get('/me').set('Cookie', `session=${cookie}`)).body as {
      user: string | null;
      notice: string | null;
    };

  it('clear(): the response deletes the cookie; a copy of the old cookie still opens the login', async () => {
    const cookie = sessionCookieValue((await request(app.getHttpServer()).get('/login')).headers)!;
    const logout = await request(app.getHttpServer()).get('/logout/clear').set('Cookie', `session=${cookie}`);
    expect(setCookies(logout.headers)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    expect(await me(cookie)).toEqual({ user: 'alice', notice: null });
  });

  it.each(['/logout/clear-and-write', '/logout/pop'])(
    '%s: the response replaces the cookie; a copy of the old cookie still opens the login',
    async (path) => {
      const cookie = sessionCookieValue((await request(app.getHttpServer()).get('/login')).headers)!;
      const logout = await request(app.getHttpServer()).get(path).set('Cookie', `session=${cookie}`);
      const next = sessionCookieValue(logout.headers)!;
      expect(next).toBeTruthy();
      expect(next).not.toBe(cookie);
      expect((await me(next)).user).toBeNull();
      expect((await me(cookie)).user).toBe('alice');
    },
  );
});
