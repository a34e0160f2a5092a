/**
 * Flask-Login's behaviour in Nest beyond what a Flask peer shows (Flask-Login's login_manager.py
 * and utils.py): the redirect to the login and refresh views with `next` and the flashed message,
 * USE_SESSION_FOR_NEXT, LOGIN_DISABLED, OPTIONS, the remember-me cookie's config keys and
 * duration, REMEMBER_COOKIE_REFRESH_EACH_REQUEST, the encrypted cookie interface, the address
 * source of the session identifier, and the Flask-Login keys read from ConfigService and
 * validated at start-up.
 */
import { Controller, Get, Injectable, Options, Query, Req } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import request from 'supertest';
import {
  EncryptedCookieSessionInterface,
  getFlashedMessages,
  getSession,
  type SessionModuleOptions,
} from 'nest-flask-session';
import {
  CurrentUser,
  decodeRememberCookie,
  encodeRememberCookie,
  FreshLoginRequired,
  LoginManager,
  LoginModule,
  LoginRequired,
  UserLoader,
  type LoginModuleOptions,
} from 'nest-flask-session/flask-login';
import { createApp, PLATFORMS, setCookies, type Platform } from '../support/create-app.js';

const SECRET_KEY = 'flask-login e2e key of decent length';

interface User {
  id: string;
}

@Injectable()
class Users extends UserLoader<User> {
  loadUser(userId: string): User | null {
    return userId === 'ghost' ? null : { id: userId };
  }

  getId(user: User): string {
    return user.id;
  }
}

@Controller()
class AccountController {
  constructor(private readonly login: LoginManager<User>) {}

  @Get('login-as')
  async logIn(
    @Req() req: object,
    @Query('user') user: string,
    @Query('fresh') fresh?: string,
    @Query('days') days?: string,
  ) {
    await this.login.loginUser(
      req,
      { id: user },
      { remember: days !== undefined, duration: days ? Number(days) * 86400 : undefined, fresh: fresh !== '0' },
    );
    return 'ok';
  }

  @Get('account')
  @LoginRequired()
  account(@CurrentUser() user: User) {
    return `account of ${user.id}`;
  }

  @Options('account')
  @LoginRequired()
  preflight() {
    return 'preflight';
  }

  @Get('settings')
  @FreshLoginRequired()
  settings(@CurrentUser() user: User) {
    return `settings of ${user.id}`;
  }

  @Get('confirm')
  async confirm(@Req() req: object) {
    await this.login.confirmLogin(req);
    return 'confirmed';
  }

  @Get('me')
  me(@CurrentUser() user: User | null) {
    return { user: user?.id ?? null };
  }

  @Get('messages')
  async messages(@Req() req: object) {
    return getFlashedMessages(await getSession(req), { withCategories: true });
  }

  @Get('session')
  async session(@Req() req: object) {
    return (await getSession(req)).toJSON();
  }
}

async function appWith(
  platform: Platform,
  login: Partial<LoginModuleOptions> = {},
  session: Partial<SessionModuleOptions> = {},
  imports: unknown[] = [],
) {
  return createApp(
    { SECRET_KEY, ...session },
    {
      controllers: [AccountController],
      imports: [...(imports as []), LoginModule.forRoot({ userLoader: Users, ...login })],
    },
    undefined,
    platform,
  );
}

const cookieLine = (response: request.Response, name: string) =>
  setCookies(response.headers).find((line) => line.startsWith(`${name}=`));

describe.each(PLATFORMS)('Flask-Login in Nest on %s', (platform) => {
  it('answers 401 without a login view, and redirects to it with next and a flashed message when there is one', async () => {
    const plain = await appWith(platform);
    await request(plain.getHttpServer()).get('/account').expect(401);
    await plain.close();

    const app = await appWith(platform, { loginView: '/login?lang=en', refreshView: '/reauth' });
    const agent = request.agent(app.getHttpServer());
    const refused = await agent.get('/account?tab=orders&x=a%20b').set('host', 'app.example.com').expect(302);
    expect(refused.headers.location).toBe('/login?lang=en&next=%2Faccount%3Ftab%3Dorders%26x%3Da%2520b');
    expect((await agent.get('/messages')).body).toEqual([['message', 'Please log in to access this page.']]);

    await agent.get('/login-as?user=alice&fresh=0').expect(200);
    expect((await agent.get('/account')).text).toBe('account of alice');
    const stale = await agent.get('/settings').expect(302);
    expect(stale.headers.location).toBe('/reauth?next=%2Fsettings');
    expect((await agent.get('/messages')).body).toEqual([['message', 'Please reauthenticate to access this page.']]);
    await agent.get('/confirm').expect(200);
    expect((await agent.get('/settings')).text).toBe('settings of alice');
    await app.close();
  });

  it('keeps next in the session with USE_SESSION_FOR_NEXT, and flashes nothing when the message is null', async () => {
    const app = await appWith(platform, {
      loginView: 'https://auth.example.com/login',
      loginMessage: null,
      USE_SESSION_FOR_NEXT: true,
    });
    const agent = request.agent(app.getHttpServer());
    const refused = await agent.get('/account?tab=1').expect(302);
    expect(refused.headers.location).toBe('https://auth.example.com/login');
    const session = (await agent.get('/session')).body as Record<string, unknown>;
    expect(session.next).toMatch(/^http:\/\/[^/]+\/account\?tab=1$/);
    expect(session._id).toMatch(/^[0-9a-f]{128}$/);
    expect(session._flashes).toBeUndefined();
    await app.close();
  });

  it('lets OPTIONS through, and everything with LOGIN_DISABLED', async () => {
    const app = await appWith(platform);
    await request(app.getHttpServer()).options('/account').expect(200);
    await app.close();
    const disabled = await appWith(platform, { LOGIN_DISABLED: true });
    await request(disabled.getHttpServer()).get('/me').expect(200, { user: null });
    await disabled.close();
  });

  it('writes the remember-me cookie with the REMEMBER_COOKIE_* keys and the login duration', async () => {
    const app = await appWith(platform, {
      REMEMBER_COOKIE_NAME: 'keep_me',
      REMEMBER_COOKIE_DOMAIN: 'example.com',
      REMEMBER_COOKIE_PATH: '/app',
      REMEMBER_COOKIE_SECURE: true,
      REMEMBER_COOKIE_HTTPONLY: false,
      REMEMBER_COOKIE_SAMESITE: 'lax',
    });
    const before = Date.now();
    const response = await request(app.getHttpServer()).get('/login-as?user=bob&days=2').expect(200);
    const line = cookieLine(response, 'keep_me')!;
    expect(line).toMatch(
      /^keep_me=bob\|[0-9a-f]{128}; Domain=example\.com; Expires=[^;]+; Secure; Path=\/app; SameSite=Lax$/,
    );
    const expires = Date.parse(/Expires=([^;]+)/.exec(line)![1]!);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 2 * 86400 * 1000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 86400 * 1000);
    expect(decodeRememberCookie(line.split(';')[0]!.slice('keep_me='.length), SECRET_KEY)).toBe('bob');
    await app.close();
  });

  it('refreshes the remember-me cookie on every response with REMEMBER_COOKIE_REFRESH_EACH_REQUEST', async () => {
    const app = await appWith(platform, { REMEMBER_COOKIE_REFRESH_EACH_REQUEST: true });
    const agent = request.agent(app.getHttpServer());
    const login = await agent.get('/login-as?user=carol').expect(200);
    expect(cookieLine(login, 'remember_token')).toMatch(/^remember_token=carol\|/);
    const later = await agent.get('/me').expect(200, { user: 'carol' });
    expect(cookieLine(later, 'remember_token')).toMatch(/^remember_token=carol\|/);
    await app.close();
  });

  it('restores a remembered login on the encrypted cookie interface, and a remember-me cookie for an unknown user logs no one in', async () => {
    const app = await appWith(platform, {}, { sessionInterface: new EncryptedCookieSessionInterface() });
    const login = await request(app.getHttpServer()).get('/login-as?user=dora&days=1').expect(200);
    const remember = cookieLine(login, 'remember_token')!.split(';')[0]!;
    const restored = await request(app.getHttpServer()).get('/me').set('cookie', remember).expect(200);
    expect(restored.body).toEqual({ user: 'dora' });
    const session = cookieLine(restored, 'session')!.split(';')[0]!;
    const state = await request(app.getHttpServer()).get('/session').set('cookie', session);
    expect(state.body).toMatchObject({ _user_id: 'dora', _fresh: false });
    const ghost = await request(app.getHttpServer())
      .get('/me')
      .set('cookie', `remember_token=${encodeRememberCookie('ghost', SECRET_KEY)}`)
      .expect(200);
    expect(ghost.body).toEqual({ user: null });
    await app.close();
  });

  it('a strong-protection failure on a guarded page answers 401 and still deletes the remember-me cookie', async () => {
    const app = await appWith(platform, { SESSION_PROTECTION: 'strong' });
    const agent = request.agent(app.getHttpServer());
    await agent.get('/login-as?user=gina&days=1').set('user-agent', 'A').expect(200);
    await agent.get('/account').set('user-agent', 'A').expect(200, 'account of gina');
    const stolen = await agent.get('/account').set('user-agent', 'B').expect(401);
    expect(cookieLine(stolen, 'remember_token')).toMatch(
      /^remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/$/,
    );
    // The session lost the login too: it was empty but for it, so its cookie is deleted.
    expect(cookieLine(stolen, 'session')).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    await agent.get('/account').set('user-agent', 'A').expect(401);
    await app.close();
  });

  it("takes the identifier's address from X-Forwarded-For as Flask-Login does, or from the platform when asked", async () => {
    for (const [source, survives] of [
      ['flask-login', false],
      ['platform', true],
    ] as const) {
      const app = await appWith(platform, { SESSION_PROTECTION: 'strong', remoteAddress: source });
      const agent = request.agent(app.getHttpServer());
      await agent.get('/login-as?user=erin').set('x-forwarded-for', '203.0.113.1').expect(200);
      expect((await agent.get('/me').set('x-forwarded-for', '203.0.113.1')).body).toEqual({ user: 'erin' });
      // Another forwarded address: a different client to Flask-Login; the same socket to an app that trusts no proxy.
      expect((await agent.get('/me').set('x-forwarded-for', '198.51.100.9')).body).toEqual({
        user: survives ? 'erin' : null,
      });
      await app.close();
    }
  });

  it('reads the Flask-Login keys from ConfigService and refuses a bad one at start-up, naming it', async () => {
    const config = ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ REMEMBER_COOKIE_NAME: 'from_config', REMEMBER_COOKIE_DURATION: '60' })],
    });
    const app = await appWith(platform, {}, {}, [config]);
    const response = await request(app.getHttpServer()).get('/login-as?user=finn&days=0').expect(200);
    expect(cookieLine(response, 'from_config')).toBeDefined();
    await app.close();

    for (const [values, key] of [
      [{ SESSION_PROTECTION: 'paranoid' }, 'SESSION_PROTECTION'],
      [{ REMEMBER_COOKIE_DURATION: 'a year' }, 'REMEMBER_COOKIE_DURATION'],
      [{ REMEMBER_COOKIE_SAMESITE: 'None' }, 'REMEMBER_COOKIE_SAMESITE'],
      [{ REMEMBER_COOKIE_NAME: 'bad name' }, 'REMEMBER_COOKIE_NAME'],
    ] as const) {
      const bad = ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => values] });
      await expect(appWith(platform, {}, {}, [bad])).rejects.toThrow(
        new RegExp(`Invalid session configuration: ${key} `),
      );
    }
  });
});
