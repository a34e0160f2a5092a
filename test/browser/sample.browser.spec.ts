import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core';
import { createSampleApp, type SampleAppOptions } from '../../sample/src/app.factory.js';
import { PLATFORMS, type Platform } from '../support/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';

/**
 * The sample app driven by a real browser: Debian's Chromium through playwright-core. What is
 * checked is what the browser stores and shows, not what the server sends.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const LIFETIME = 3 * 24 * 60 * 60;

interface RunningApp {
  app: INestApplication;
  origin: string;
}

async function serve(platform: Platform, options: SampleAppOptions): Promise<RunningApp> {
  const app = await createSampleApp({ envFile: false, logger: false, platform, ...options });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, origin: `http://127.0.0.1:${port}` };
}

describeWithProgram(
  'sample app in Chromium (playwright-core)',
  programWorks(CHROMIUM, ['--version']),
  'apt-get install -y chromium (Debian), or set CHROMIUM_PATH to a Chromium/Chrome binary',
  () => {
    describe.each(PLATFORMS)('on %s', (platform) => {
      let browser: Browser;
      let plain: RunningApp;
      let secure: RunningApp;
      let context: BrowserContext;
      let page: Page;

      beforeAll(async () => {
        [browser, plain, secure] = await Promise.all([
          chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true }),
          serve(platform, { session: { SECRET_KEY: 'browser-test-key', PERMANENT_SESSION_LIFETIME: LIFETIME } }),
          serve(platform, {
            session: {
              SECRET_KEY: 'browser-test-key',
              SESSION_COOKIE_NAME: 'secure_session',
              SESSION_COOKIE_SECURE: true,
              SESSION_COOKIE_SAMESITE: 'Strict',
            },
          }),
        ]);
      }, 30000);

      afterAll(async () => {
        await browser?.close();
        await Promise.all([plain?.app.close(), secure?.app.close()]);
      });

      beforeEach(async () => {
        context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
        page = await context.newPage();
      });

      afterEach(async () => {
        await context?.close();
      });

      const sessionCookie = async (name = 'session'): Promise<Cookie | undefined> =>
        (await context.cookies()).find((cookie) => cookie.name === name);

      /** Clicks and waits for the page the click leads to (after any redirects) to load. */
      async function clickAndLoad(selector: string): Promise<void> {
        const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
        await page.click(selector);
        await navigated;
        await page.waitForLoadState('load');
      }

      /** Fills the login form of the current page and submits it. */
      async function submitLogin(username: string, password: string, remember = false): Promise<void> {
        await page.fill('#username', username);
        await page.fill('#password', password);
        if (remember) await page.check('#remember');
        await clickAndLoad('#login-form button[type=submit]');
      }

      async function logIn(origin: string, username: string, password: string, remember = false): Promise<void> {
        await page.goto(`${origin}/login`);
        await submitLogin(username, password, remember);
      }

      it('logs in, keeps the session across pages, and logs out by deleting the cookie', async () => {
        await page.goto(`${plain.origin}/`);
        await expect(page.textContent('#visits')).resolves.toBe('1');
        await page.reload();
        await expect(page.textContent('#visits')).resolves.toBe('2');

        await clickAndLoad('#login-link');
        expect(new URL(page.url()).pathname).toBe('/login');
        await submitLogin('alice', 'wonderland');
        expect(new URL(page.url()).pathname).toBe('/');
        await expect(page.textContent('#current-user')).resolves.toBe('Alice Liddell');
        await expect(page.textContent('#visits')).resolves.toBe('3');

        await page.goto(`${plain.origin}/cart`);
        await clickAndLoad('button[data-add="earl-grey"]');
        await clickAndLoad('button[data-add="teapot"]');
        await clickAndLoad('button[data-add="earl-grey"]');
        await expect(page.textContent('#cart-count')).resolves.toBe('3');
        await expect(page.textContent('tr[data-line="earl-grey"] td')).resolves.toBe(
          'Earl Grey <loose leaf> & "bergamot"',
        );
        await expect(page.textContent('tr[data-line="earl-grey"] .qty')).resolves.toBe('2');
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: `${ARTIFACTS}sample-${platform}-cart.png`, fullPage: true });

        await clickAndLoad('a[href="/account"]');
        expect(new URL(page.url()).pathname).toBe('/account');
        await expect(page.textContent('#profile-name')).resolves.toBe('Alice Liddell');
        await expect(page.textContent('#session-kind')).resolves.toContain('Browser session');
        await page.screenshot({ path: `${ARTIFACTS}sample-${platform}-account.png`, fullPage: true });

        expect(await sessionCookie()).toBeDefined();
        await clickAndLoad('header button[type=submit]');
        expect(new URL(page.url()).pathname).toBe('/logged-out');
        await expect(page.textContent('#logged-out')).resolves.toContain('You are logged out.');
        expect(await sessionCookie()).toBeUndefined();
        expect(await context.cookies()).toEqual([]);
        await page.goto(`${plain.origin}/`);
        await expect(page.textContent('#visits')).resolves.toBe('1');
        await expect(page.textContent('#login-link')).resolves.toBe('Log in');
      });

      it('stores a browser-session cookie without "remember me", with the sample attributes', async () => {
        await logIn(plain.origin, 'bob', 'builder');
        const cookie = await sessionCookie();
        expect(cookie).toMatchObject({
          name: 'session',
          domain: '127.0.0.1',
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: 'Lax',
        });
        // HttpOnly: page scripts cannot read it.
        await expect(page.evaluate('document.cookie')).resolves.toBe('');
      });

      it('stores a persistent cookie with "remember me": expiry = now + PERMANENT_SESSION_LIFETIME, refreshed', async () => {
        const before = Date.now() / 1000;
        await logIn(plain.origin, 'alice', 'wonderland', true);
        const first = (await sessionCookie())!;
        expect(first.expires).toBeGreaterThanOrEqual(Math.floor(before) + LIFETIME - 1);
        expect(first.expires).toBeLessThanOrEqual(Date.now() / 1000 + LIFETIME + 1);
        await page.goto(`${plain.origin}/account`);
        await expect(page.textContent('#session-kind')).resolves.toContain('Permanent');
        await expect(page.textContent('#session-kind')).resolves.toContain('3 days ahead');
        // Each response re-sends the cookie (SESSION_REFRESH_EACH_REQUEST), so the expiry never moves back.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await page.goto(`${plain.origin}/logged-out`);
        const refreshed = (await sessionCookie())!;
        expect(refreshed.expires).toBeGreaterThan(first.expires);
      });

      it('logs in with "remember me", loses the session cookie as a closed browser does, and comes back logged in', async () => {
        await logIn(plain.origin, 'alice', 'wonderland', true);
        const remember = (await sessionCookie('remember_token'))!;
        expect(remember).toMatchObject({ path: '/', httpOnly: true, secure: false });
        expect(remember.value).toMatch(/^alice\|[0-9a-f]{128}$/);
        // About a year: Flask-Login's REMEMBER_COOKIE_DURATION.
        expect(remember.expires).toBeGreaterThan(Date.now() / 1000 + 364 * 86400);

        await context.clearCookies({ name: 'session' });
        expect(await sessionCookie()).toBeUndefined();
        await page.goto(`${plain.origin}/account`);
        expect(new URL(page.url()).pathname).toBe('/account');
        await expect(page.textContent('#profile-name')).resolves.toBe('Alice Liddell');
        // Flask-Login restored the login from the cookie (not fresh); the plain session key is gone with the old session.
        await expect(page.textContent('#who-flask-login')).resolves.toBe(
          'alice (not fresh: restored or stale, remember-me cookie)',
        );
        await expect(page.textContent('#who-session-key')).resolves.toBe('nobody');
        expect(await sessionCookie()).toBeDefined();

        // Logging out deletes both cookies.
        await clickAndLoad('header button[type=submit]');
        expect(new URL(page.url()).pathname).toBe('/logged-out');
        expect(await context.cookies()).toEqual([]);
        await page.goto(`${plain.origin}/account`);
        expect(new URL(page.url()).pathname).toBe('/login');
      });

      it('refuses a form post without its CSRF token, saying why, and changes nothing', async () => {
        await page.goto(`${plain.origin}/cart`);
        await clickAndLoad('button[data-add="teapot"]');
        await expect(page.textContent('#cart-count')).resolves.toBe('1');
        // A forged form (another site's, or this one without its hidden field) has no token.
        await page.evaluate(`document.querySelectorAll('input[name="csrf_token"]').forEach((input) => input.remove())`);
        const refused = page.waitForResponse((response) => response.url().endsWith('/cart/add'));
        await clickAndLoad('button[data-add="teapot"]');
        const response = await refused;
        expect(response.status()).toBe(400);
        await expect(page.textContent('body')).resolves.toContain('The CSRF token is missing.');
        await page.goto(`${plain.origin}/cart`);
        await expect(page.textContent('#cart-count')).resolves.toBe('1');
      });

      it('shows a logged-out page for a tampered cookie, not an error', async () => {
        await logIn(plain.origin, 'alice', 'wonderland');
        const cookie = (await sessionCookie())!;
        const [payload, timestamp, signature] = cookie.value.split('.');
        // Keep the signature, change the data: claim to be bob.
        const forged = `${Buffer.from(JSON.stringify({ user_id: 'bob' })).toString('base64url')}.${timestamp}.${signature}`;
        expect(payload).not.toBe(forged.split('.')[0]);
        await context.addCookies([{ ...cookie, value: forged }]);

        const response = await page.goto(`${plain.origin}/`);
        expect(response?.status()).toBe(200);
        await expect(page.textContent('#login-link')).resolves.toBe('Log in');
        await expect(page.textContent('main')).resolves.toContain('You are not logged in.');
        await expect(page.textContent('#visits')).resolves.toBe('1');
        // The server replaced the forged cookie with a fresh, validly signed one.
        expect((await sessionCookie())!.value).not.toBe(forged);

        await context.addCookies([{ ...cookie, value: 'not-a-session' }]);
        await page.goto(`${plain.origin}/account`);
        expect(new URL(page.url()).pathname).toBe('/login');
      });

      it('sends a guarded page to /login and back to the wanted page after logging in', async () => {
        await page.goto(`${plain.origin}/account?tab=orders`);
        expect(new URL(page.url()).pathname).toBe('/login');
        await expect(page.textContent('.flash-info')).resolves.toBe('Please log in to see that page.');
        await expect(page.textContent('#next-hint')).resolves.toContain('/account?tab=orders');
        await submitLogin('bob', 'builder');
        const url = new URL(page.url());
        expect(url.pathname + url.search).toBe('/account?tab=orders');
        await expect(page.textContent('#profile-name')).resolves.toBe('Bob the Builder');
      });

      it('shows a flash message once, then never again', async () => {
        await logIn(plain.origin, 'alice', 'not-the-password');
        expect(new URL(page.url()).pathname).toBe('/login');
        await expect(page.locator('.flash').allTextContents()).resolves.toEqual(['Invalid username or password.']);
        await page.reload();
        await expect(page.locator('.flash').count()).resolves.toBe(0);

        await submitLogin('alice', 'wonderland');
        await expect(page.locator('.flash-success').allTextContents()).resolves.toEqual([
          'Welcome, Alice Liddell! You are logged in.',
        ]);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: `${ARTIFACTS}sample-${platform}-logged-in.png`, fullPage: true });
        await page.goto(`${plain.origin}/cart`);
        await expect(page.locator('.flash').count()).resolves.toBe(0);
      });

      it('keeps a Secure, SameSite=Strict cookie from http://127.0.0.1, which Chromium treats as a secure origin', async () => {
        await logIn(secure.origin, 'alice', 'wonderland');
        await expect(page.textContent('#current-user')).resolves.toBe('Alice Liddell');
        expect(await sessionCookie('secure_session')).toMatchObject({
          domain: '127.0.0.1',
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: true,
          sameSite: 'Strict',
        });
        await page.goto(`${secure.origin}/account`);
        await expect(page.textContent('#profile-name')).resolves.toBe('Alice Liddell');
      });
    });
  },
);
