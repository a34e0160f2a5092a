import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { URLSafeTimedSerializer } from 'nest-flask-session/itsdangerous';
import { Markup, Tuple, sessionJsonSerializer } from 'nest-flask-session/tagged-json';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';
import { createSampleApp, samplePlatform, type SampleAppOptions } from '../../sample/src/app.factory.js';
import { PLATFORMS } from '../support/create-app.js';

const SECRET_KEY = 'sample-e2e-secret';
const LIFETIME = 7 * 24 * 60 * 60;
const session = { SECRET_KEY, PERMANENT_SESSION_LIFETIME: LIFETIME };

/** Every app a test starts, closed after it. */
const apps: INestApplication[] = [];

async function startApp(options: SampleAppOptions = {}): Promise<INestApplication> {
  const app = await createSampleApp({ session, envFile: false, logger: false, ...options });
  apps.push(app);
  await app.init();
  if (options.platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as string | string[] | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

function sessionCookie(response: request.Response, name = 'session'): string | undefined {
  return setCookies(response).find((line) => line.startsWith(`${name}=`));
}

function sessionData(response: request.Response): Record<string, unknown> | null {
  return readSessionCookie(setCookies(response), session);
}

function expiresOf(cookie: string): number | undefined {
  const match = /;\s*Expires=([^;]+)/i.exec(cookie);
  return match ? Date.parse(match[1]!) : undefined;
}

/** The CSRF token a page's forms carry (Flask-WTF's hidden `csrf_token` field). */
async function csrfToken(agent: request.Agent, page = '/login'): Promise<string> {
  const text = (await agent.get(page).expect(200)).text;
  return /name="csrf_token" value="([^"]+)"/.exec(text)![1]!;
}

/** Submits the login form as a browser does: with the token of the form it was shown. */
async function logIn(
  agent: request.Agent,
  username: string,
  password: string,
  remember = false,
): Promise<request.Response> {
  const form: Record<string, string> = { username, password, csrf_token: await csrfToken(agent) };
  if (remember) form.remember = 'on';
  return agent.post('/login').type('form').send(form);
}

function expectRedirect(response: request.Response, location: string, status = 303): void {
  expect(response.status).toBe(status);
  expect(response.headers.location).toBe(location);
}

const visitsOf = (text: string): number => Number(/id="visits">(\d+)</.exec(text)?.[1]);

describe.each(PLATFORMS)('sample app (e2e) on %s', (platform) => {
  const start = (options: SampleAppOptions = {}) => startApp({ platform, ...options });
  it('counts visits in the session cookie, a browser-session cookie with the sample attributes', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const first = await agent
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(visitsOf(first.text)).toBe(1);
    expect(first.headers.vary).toMatch(/Cookie/);
    const cookie = sessionCookie(first)!;
    expect(cookie).toMatch(/; HttpOnly; Path=\/; SameSite=Lax$/);
    expect(expiresOf(cookie)).toBeUndefined();
    expect(sessionData(first)).toEqual({ visits: 1 });
    expect(visitsOf((await agent.get('/')).text)).toBe(2);
    expect(visitsOf((await agent.get('/')).text)).toBe(3);
    expect(first.text).toContain('You are not logged in.');
  });

  it('rejects a wrong password with a flash message shown once', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    expectRedirect(await logIn(agent, 'alice', 'queen-of-hearts'), '/login');
    const page = await agent.get('/login').expect(200);
    expect(page.text).toContain('<li class="flash flash-error" role="status">Invalid username or password.</li>');
    const again = await agent.get('/login').expect(200);
    expect(again.text).not.toContain('Invalid username or password.');
  });

  it('logs in: the session holds the user id, and the welcome flash is a Flask tuple shown once', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const login = await logIn(agent, 'alice', 'wonderland');
    expectRedirect(login, '/');
    const data = sessionData(login)!;
    expect(data.user_id).toBe('alice');
    // Flask-Login's keys, as login_user() writes them.
    expect(data).toMatchObject({ _user_id: 'alice', _fresh: true });
    expect(data._id).toMatch(/^[0-9a-f]{128}$/);
    expect(data._permanent).toBe(false);
    const flashes = data._flashes as unknown[];
    expect(flashes).toHaveLength(1);
    expect(flashes[0]).toBeInstanceOf(Tuple);
    // On the wire exactly what Flask's flash() writes: a list of tagged (category, message) tuples.
    expect(sessionJsonSerializer.dumps({ _flashes: flashes })).toBe(
      '{"_flashes":[{" t":["success","Welcome, Alice Liddell! You are logged in."]}]}',
    );

    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Welcome, Alice Liddell! You are logged in.');
    expect(home.text).toContain('<span class="who" id="current-user">Alice Liddell</span>');
    expect(sessionData(home)).not.toHaveProperty('_flashes');
    // The page's session dump shows the session as saved: the flash is already popped.
    const dump = /<pre id="session-json"><code>([\s\S]*?)<\/code><\/pre>/.exec(home.text)![1]!;
    expect(dump).toContain('&#34;user_id&#34;: &#34;alice&#34;');
    expect(dump).toContain('&#34;_user_id&#34;: &#34;alice&#34;');
    expect(dump).toContain('&#34;visits&#34;: 1');
    expect(dump).not.toContain('_flashes');
    // Who is logged in, by both conventions.
    expect(home.text).toContain('<td id="who-flask-login"><strong>alice</strong> (fresh login)</td>');
    expect(home.text).toContain('<td id="who-session-key"><strong>alice</strong></td>');
    const again = await agent.get('/').expect(200);
    expect(again.text).not.toContain('You are logged in.');
    expect(again.text).toContain('You are logged in as <strong id="user-id">alice</strong>.');
  });

  it('keeps a cart of nested data, saved because the handler sets session.modified', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const csrf_token = await csrfToken(agent, '/cart');
    // Without the token, the form post is refused with Flask-WTF's reason.
    const refused = await agent.post('/cart/add').type('form').send({ product: 'teapot' }).expect(400);
    expect((refused.body as { message: string }).message).toBe('The CSRF token is missing.');
    const firstAdd = await agent
      .post('/cart/add')
      .type('form')
      .send({ product: 'teapot', csrf_token })
      .expect(303)
      .expect('Location', '/cart');
    expect(sessionData(firstAdd)?.cart).toEqual({ teapot: 1 });
    // The second add only changes a value inside session.cart.
    const secondAdd = await agent.post('/cart/add').type('form').send({ product: 'teapot', csrf_token }).expect(303);
    expect(sessionData(secondAdd)?.cart).toEqual({ teapot: 2 });
    await agent.post('/cart/add').type('form').send({ product: 'earl-grey', csrf_token }).expect(303);

    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).toMatch(/<tr data-line="teapot"><td>Teapot<\/td><td class="num qty">2<\/td>/);
    expect(cart.text).toContain('<span id="cart-count">3</span>');
    expect(cart.text).toContain('<th class="num" id="cart-total">€54.50</th>');
    // The product with HTML special characters is escaped, in the page and in the flash message.
    expect(cart.text).toContain('Earl Grey &lt;loose leaf&gt; &amp; &#34;bergamot&#34;');
    expect(cart.text).toContain('Added Earl Grey &lt;loose leaf&gt; &amp; &#34;bergamot&#34; to your cart.');
    expect(cart.text).not.toContain('<loose leaf>');

    const removed = await agent.post('/cart/remove').type('form').send({ product: 'teapot', csrf_token }).expect(303);
    expect(sessionData(removed)?.cart).toEqual({ teapot: 1, 'earl-grey': 1 });
    const cleared = await agent.post('/cart/clear').type('form').send({ csrf_token }).expect(303);
    expect(sessionData(cleared)).not.toHaveProperty('cart');
    expect((await agent.get('/cart')).text).toContain('Your cart is empty.');

    await agent.post('/cart/add').type('form').send({ product: 'nope', csrf_token }).expect(303);
    expect((await agent.get('/cart')).text).toContain('No such product.');
  });

  it('guards /account: remembers the wanted page, sends to /login, and comes back after login', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const denied = await agent.get('/account?tab=orders').expect(302).expect('Location', '/login');
    // Flask-Login's USE_SESSION_FOR_NEXT: the page is kept in the session, saved although the
    // request ended in an exception.
    expect(sessionData(denied)).toMatchObject({ next: '/account?tab=orders' });

    const login = await agent.get('/login').expect(200);
    expect(login.text).toContain('Please log in to see that page.');
    expect(login.text).toContain('After logging in you will go back to <code>/account?tab=orders</code>.');

    const loggedIn = await logIn(agent, 'bob', 'builder');
    expectRedirect(loggedIn, '/account?tab=orders');
    expect(sessionData(loggedIn)).not.toHaveProperty('next');
    const account = await agent.get('/account?tab=orders').expect(200);
    expect(account.text).toContain('<td id="profile-name">Bob the Builder</td>');
    expect(account.text).toContain('Welcome, Bob the Builder!');
  });

  it('does not follow a next URL that leaves the site', async () => {
    const app = await start();
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const raw = 'a'.repeat(40);
      const cookie = createSessionCookie({ next, csrf_token: raw }, session);
      const csrf_token = new URLSafeTimedSerializer(SECRET_KEY, { salt: 'wtf-csrf-token' }).dumps(raw);
      const response = await request(app.getHttpServer())
        .post('/login')
        .set('Cookie', cookie)
        .type('form')
        .send({ username: 'alice', password: 'wonderland', csrf_token })
        .expect(303);
      expect(response.headers.location).toBe('/');
    }
  });

  it('logs out: the session is cleared and the cookie deleted', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    expectRedirect(await logIn(agent, 'alice', 'wonderland'), '/');
    const csrf_token = await csrfToken(agent, '/account');
    // Logging out is a form post too: without the token it is refused.
    await agent.post('/logout').expect(400);

    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ csrf_token })
      .expect(303)
      .expect('Location', '/logged-out');
    const deletion = sessionCookie(logout)!;
    expect(deletion).toMatch(
      /^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=\/; SameSite=Lax$/,
    );

    const page = await agent.get('/logged-out').expect(200);
    expect(sessionCookie(page)).toBeUndefined();
    expect(page.text).toContain('You are logged out.');
    expect(page.text).toContain('id="login-link"');
    await agent.get('/account').expect(302).expect('Location', '/login');
  });

  it('"remember me" makes the session permanent: Expires = now + lifetime, refreshed on every request', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const before = Date.now();
    const login = await logIn(agent, 'alice', 'wonderland', true);
    expect(login.status).toBe(303);
    const cookie = sessionCookie(login)!;
    expect(sessionData(login)).toMatchObject({ user_id: 'alice', _permanent: true });
    const expires = expiresOf(cookie)!;
    // HTTP dates have second precision.
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + LIFETIME * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + LIFETIME * 1000 + 1000);

    // A page that changes nothing still re-sends the cookie with a fresh Expires.
    const refreshed = await agent.get('/logged-out').expect(200);
    expect(expiresOf(sessionCookie(refreshed)!)).toBeGreaterThanOrEqual(expires);
    const account = await agent.get('/account').expect(200);
    expect(account.text).toContain('<strong>Permanent</strong>');
    expect(account.text).toContain('7 days ahead');

    // Without "remember me" the cookie has no Expires: it ends with the browser session.
    const other = request.agent(app.getHttpServer());
    const plain = await logIn(other, 'bob', 'builder');
    expect(plain.status).toBe(303);
    expect(expiresOf(sessionCookie(plain)!)).toBeUndefined();
    expect((await other.get('/account')).text).toContain('<strong>Browser session</strong>');
    expect(sessionCookie(await other.get('/logged-out'))).toBeUndefined();
  });

  it('treats a tampered cookie as no session: a logged-out page, not an error', async () => {
    const app = await start();
    const agent = request.agent(app.getHttpServer());
    const login = await logIn(agent, 'alice', 'wonderland');
    const value = sessionCookie(login)!.split(';')[0]!.slice('session='.length);
    const [payload, timestamp, signature] = value.split('.');
    const forged = `${payload}.${timestamp}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    const page = await request(app.getHttpServer()).get('/').set('Cookie', `session=${forged}`).expect(200);
    expect(page.text).toContain('You are not logged in.');
    expect(visitsOf(page.text)).toBe(1);
    await request(app.getHttpServer())
      .get('/account')
      .set('Cookie', 'session=garbage')
      .expect(302)
      .expect('Location', '/login');
  });

  it('shows flashes written by a Flask app on the same domain: strings escaped, Markup as HTML', async () => {
    const app = await start();
    const cookie = createSessionCookie(
      {
        _flashes: [
          Tuple.of('message', '<i>plain text</i>'),
          Tuple.of<string | Markup>('warning', new Markup('<strong>Flask</strong> says hi')),
        ],
      },
      session,
    );
    const page = await request(app.getHttpServer()).get('/cart').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('<li class="flash flash-message" role="status">&lt;i&gt;plain text&lt;/i&gt;</li>');
    expect(page.text).toContain('<li class="flash flash-warning" role="status"><strong>Flask</strong> says hi</li>');
    // Popped, as get_flashed_messages() does: the saved session has no _flashes left (it now holds the
    // cart forms' CSRF token, and Flask-Login's `_fresh: false` for a session without its `_id`).
    expect(sessionData(page)).toEqual({ csrf_token: expect.stringMatching(/^[0-9a-f]{40}$/), _fresh: false });
  });

  describe('configuration', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it('reads Flask keys from the environment through ConfigService', async () => {
      process.env.SESSION_COOKIE_NAME = 'sample_session';
      process.env.SESSION_COOKIE_SAMESITE = 'Strict';
      process.env.SESSION_COOKIE_SECURE = 'true';
      const app = await start();
      const response = await request(app.getHttpServer()).get('/').expect(200);
      expect(sessionCookie(response, 'sample_session')).toMatch(/; Secure; HttpOnly; Path=\/; SameSite=Strict$/);
    });

    it('reads SECRET_KEY from a .env file', async () => {
      delete process.env.SECRET_KEY;
      const dir = mkdtempSync(join(tmpdir(), 'sample-env-'));
      try {
        writeFileSync(
          join(dir, '.env'),
          'SECRET_KEY=from-the-env-file\nSESSION_COOKIE_SAMESITE=None\nSESSION_COOKIE_SECURE=true\n',
        );
        const app = await start({ session: {}, envFile: join(dir, '.env') });
        const response = await request(app.getHttpServer()).get('/').expect(200);
        expect(sessionCookie(response)).toMatch(/; Secure; HttpOnly; Path=\/; SameSite=None$/);
        expect(readSessionCookie(setCookies(response), { SECRET_KEY: 'from-the-env-file' })).toEqual({ visits: 1 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('without SECRET_KEY, signs with a random development key and says so', async () => {
      delete process.env.SECRET_KEY;
      const warnings: string[] = [];
      const logger: LoggerService = {
        log() {},
        error() {},
        warn: (message: unknown) => void warnings.push(String(message)),
      };
      const app = await start({ session: {}, logger });
      const response = await request(app.getHttpServer()).get('/').expect(200);
      expect(sessionCookie(response)).toMatch(/^session=[^;]+\./); // signed with some key...
      expect(() => sessionData(response)).toThrow(/Signature .* does not match/); // ...but not the test key
      expect(warnings.join('\n')).toMatch(/SECRET_KEY is not set.*FOR DEVELOPMENT ONLY/);
    });

    it('refuses to start in production without SECRET_KEY', async () => {
      delete process.env.SECRET_KEY;
      process.env.NODE_ENV = 'production';
      await expect(createSampleApp({ session: {}, envFile: false, logger: false })).rejects.toThrow(
        /SECRET_KEY is not set/,
      );
    });
  });
});

describe('SAMPLE_PLATFORM picks the platform', () => {
  it('express by default, fastify on request, anything else is an error', () => {
    expect(samplePlatform(undefined)).toBe('express');
    expect(samplePlatform('')).toBe('express');
    expect(samplePlatform('fastify')).toBe('fastify');
    expect(() => samplePlatform('koa')).toThrow("SAMPLE_PLATFORM must be 'express' or 'fastify'");
  });

  it.each(PLATFORMS)('SAMPLE_PLATFORM=%s builds the app on that platform', async (platform) => {
    const previous = process.env.SAMPLE_PLATFORM;
    process.env.SAMPLE_PLATFORM = platform;
    try {
      const app = await startApp();
      expect(app.getHttpAdapter().getType()).toBe(platform);
    } finally {
      if (previous === undefined) delete process.env.SAMPLE_PLATFORM;
      else process.env.SAMPLE_PLATFORM = previous;
    }
  });
});
