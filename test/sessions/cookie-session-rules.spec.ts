/**
 * The rules every cookie interface follows, signed (Flask's format) and encrypted alike: how a
 * session opens (no key, no cookie, several cookies, rotation, max age) and Flask's write rules
 * (Vary, deletion, permanent refresh, size policy, attribute checks, per-request getters).
 */
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import {
  EncryptedCookieSessionInterface,
  SecureCookieSessionInterface,
  type CookieSessionInterface,
} from '../../lib/sessions/index.js';
import { NullSession, SecureCookieSession } from '../../lib/sessions/index.js';
import { fakeExchange } from '../support/fake-http.js';
import { FLASK_TEST_COOKIE_SETTINGS } from '../support/flask-cookie-settings.js';

const NOW = 1700000000;

const INTERFACES: Array<[string, new () => CookieSessionInterface]> = [
  ['SecureCookieSessionInterface (signed)', SecureCookieSessionInterface],
  ['EncryptedCookieSessionInterface (encrypted)', EncryptedCookieSessionInterface],
];

beforeEach(() => {
  jest.useFakeTimers({ now: NOW * 1000, doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe.each(INTERFACES)('%s', (_name, Interface) => {
  function setup(overrides: Partial<SessionConfig> = {}) {
    const iface = new Interface();
    const warn = jest.fn<(message: string) => void>();
    iface.logger = { warn, error: jest.fn() };
    const config = createSessionConfig({ SECRET_KEY: 'test key', ...overrides });
    return { iface, config, warn };
  }

  function save(iface: CookieSessionInterface, config: SessionConfig, session: SecureCookieSession, vary?: string) {
    const exchange = fakeExchange();
    if (vary) exchange.outgoing.setHeader('Vary', vary);
    iface.saveSession(config, session, exchange.response);
    return exchange;
  }

  /** A `Cookie` header as this interface writes it for `data`. */
  function mint(iface: CookieSessionInterface, config: SessionConfig, data: Record<string, unknown>): string {
    const session = new SecureCookieSession(data);
    session.modified = true;
    return save(iface, config, session).setCookies()[0]!.split(';')[0]!;
  }

  describe('openSession', () => {
    it('no SECRET_KEY: null (the caller makes a null session), and nothing is written', () => {
      const { iface, config: keyed } = setup();
      const cookie = mint(iface, keyed, { a: 1 });
      for (const key of [null, '', Buffer.alloc(0)]) {
        const config = createSessionConfig({ SECRET_KEY: key });
        expect(iface.openSession(config, fakeExchange(cookie).request)).toBeNull();
        expect(iface.makeNullSession(config)).toBeInstanceOf(NullSession);
        expect(iface.dumpCookieValue(config, { a: 1 })).toBeNull();
        expect(save(iface, config, new SecureCookieSession({ a: 1, _permanent: true })).setCookies()).toEqual([]);
      }
    });

    it('no cookie or an empty cookie: a fresh empty session', () => {
      const { iface, config, warn } = setup();
      for (const header of [undefined, 'session=', 'other=1']) {
        const session = iface.openSession(config, fakeExchange(header).request)!;
        expect(session).toBeInstanceOf(SecureCookieSession);
        expect(session.size).toBe(0);
        expect(session.modified).toBe(false);
      }
      expect(warn).not.toHaveBeenCalled();
    });

    it('reads the first cookie of the name, as Werkzeug', () => {
      const { iface, config } = setup();
      const cookie = mint(iface, config, { user_id: 42 });
      expect(iface.openSession(config, fakeExchange(`${cookie}; session=garbage`).request)!.get('user_id')).toBe(42);
    });

    it('SECRET_KEY_FALLBACKS open; SECRET_KEY writes', () => {
      const { iface } = setup();
      const minted = mint(iface, createSessionConfig({ SECRET_KEY: '0 key' }), { a: 1 });
      const rotated = createSessionConfig({ SECRET_KEY: '+1 key', SECRET_KEY_FALLBACKS: ['0 key', '-1 key'] });
      const opened = iface.openSession(rotated, fakeExchange(minted).request)!;
      expect(opened.toJSON()).toEqual({ a: 1 });
      opened.set('a', 2);
      const rewritten = save(iface, rotated, opened).setCookies()[0]!.split(';')[0]!;
      const newOnly = createSessionConfig({ SECRET_KEY: '+1 key' });
      expect(iface.openSession(newOnly, fakeExchange(rewritten).request)!.toJSON()).toEqual({ a: 2 });
      expect(iface.openSession(newOnly, fakeExchange(minted).request)!.size).toBe(0);
    });

    it('an empty fallback key is refused', () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'k', SECRET_KEY_FALLBACKS: ['old', ''] });
      expect(() => iface.openSession(config, fakeExchange('session=x').request)).toThrow(
        /SECRET_KEY_FALLBACKS\[1\] is empty/,
      );
    });

    it('max age applies to every cookie, and age == max age is still valid', () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'test key', PERMANENT_SESSION_LIFETIME: 60 });
      const cookie = mint(iface, config, { a: 1, b: 2 });
      jest.setSystemTime((NOW + 60) * 1000);
      expect(iface.openSession(config, fakeExchange(cookie).request)!.size).toBe(2);
      jest.setSystemTime((NOW + 61) * 1000);
      expect(iface.openSession(config, fakeExchange(cookie).request)!.size).toBe(0);
    });

    it('a cookie changed in place after its keys changed in place opens under the new keys only', () => {
      const { iface, config } = setup();
      const cookie = mint(iface, config, { a: 1 });
      config.SECRET_KEY = 'another key';
      expect(iface.openSession(config, fakeExchange(cookie).request)!.size).toBe(0);
      config.SECRET_KEY_FALLBACKS = ['test key'];
      expect(iface.openSession(config, fakeExchange(cookie).request)!.toJSON()).toEqual({ a: 1 });
    });
  });

  describe('saveSession (Flask write rules)', () => {
    it('an empty session that was never modified produces no header at all', () => {
      const { iface, config } = setup();
      const { setCookies, vary } = save(iface, config, new SecureCookieSession());
      expect(setCookies()).toEqual([]);
      expect(vary()).toBeUndefined();
    });

    it('an accessed, unmodified session only adds Vary: Cookie', () => {
      const { iface, config } = setup();
      const session = new SecureCookieSession({ a: 1 });
      session.accessed = true;
      const { setCookies, vary } = save(iface, config, session);
      expect(setCookies()).toEqual([]);
      expect(vary()).toBe('Cookie');
    });

    it('an emptied, modified session deletes the cookie with the same attributes, even if the client had none', () => {
      const { iface } = setup();
      const config = createSessionConfig({
        SECRET_KEY: 'test key',
        ...FLASK_TEST_COOKIE_SETTINGS,
      });
      const session = new SecureCookieSession();
      session.clear();
      const { setCookies, vary } = save(iface, config, session);
      expect(setCookies()).toEqual([
        'session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/; SameSite=Lax; Partitioned',
      ]);
      expect(vary()).toBe('Cookie');
    });

    it('an unmodified, non-permanent session is not re-sent', () => {
      const { iface, config } = setup();
      expect(save(iface, config, new SecureCookieSession({ a: 1 })).setCookies()).toEqual([]);
    });

    it('a permanent session is refreshed on every response while SESSION_REFRESH_EACH_REQUEST is on', () => {
      const { iface, config } = setup();
      const permanent = new SecureCookieSession({ a: 1, _permanent: true });
      const [header] = save(iface, config, permanent).setCookies();
      expect(header).toContain('Expires=Fri, 15 Dec 2023 22:13:20 GMT');
      const noRefresh = createSessionConfig({ SECRET_KEY: 'test key', SESSION_REFRESH_EACH_REQUEST: false });
      expect(save(iface, noRefresh, new SecureCookieSession({ a: 1, _permanent: true })).setCookies()).toEqual([]);
    });

    it('a refreshed permanent session restarts its lifetime on the server too', () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'test key', PERMANENT_SESSION_LIFETIME: 60 });
      let cookie = mint(iface, config, { _permanent: true, a: 1 });
      for (let step = 1; step <= 3; step += 1) {
        jest.setSystemTime((NOW + step * 50) * 1000);
        const session = iface.openSession(config, fakeExchange(cookie).request)!;
        expect(session.toJSON()).toEqual({ _permanent: true, a: 1 });
        cookie = save(iface, config, session).setCookies()[0]!.split(';')[0]!;
      }
    });

    it('a non-permanent session gets no Expires and never Max-Age', () => {
      const { iface, config } = setup();
      const session = new SecureCookieSession();
      session.set('a', 1);
      const [header] = save(iface, config, session).setCookies();
      expect(header).not.toMatch(/Expires|Max-Age/);
    });

    it('APPLICATION_ROOT is the path when SESSION_COOKIE_PATH is empty', () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'k', APPLICATION_ROOT: '/foo', SESSION_COOKIE_PATH: '' });
      const session = new SecureCookieSession();
      session.set('a', 1);
      expect(save(iface, config, session).setCookies()[0]).toMatch(/; Path=\/foo$/);
    });

    it('Vary keeps existing fields and adds Cookie once', () => {
      const { iface, config } = setup();
      const session = new SecureCookieSession();
      session.set('a', 1);
      expect(save(iface, config, session, 'Accept-Encoding, Accept-Language').vary()).toBe(
        'Accept-Encoding, Accept-Language, Cookie',
      );
      const again = new SecureCookieSession();
      again.set('a', 1);
      again.accessed = true;
      expect(save(iface, config, again, 'cookie').vary()).toBe('cookie');
    });

    it('warns about a cookie over MAX_COOKIE_SIZE and still sends it; 0 disables the check', () => {
      const { iface, config, warn } = setup();
      const session = new SecureCookieSession();
      session.set('blob', randomBytes(3500).toString('base64'));
      expect(save(iface, config, session).setCookies()).toHaveLength(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain('cookie is too large');
      warn.mockClear();
      const unlimited = createSessionConfig({ SECRET_KEY: 'test key', MAX_COOKIE_SIZE: 0 });
      expect(save(iface, unlimited, session).setCookies()).toHaveLength(1);
      expect(warn).not.toHaveBeenCalled();
    });

    it("SESSION_COOKIE_SIZE_POLICY 'error' throws before any header is written", () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'test key', SESSION_COOKIE_SIZE_POLICY: 'error' });
      const session = new SecureCookieSession();
      session.set('blob', randomBytes(3500).toString('base64'));
      const exchange = fakeExchange();
      expect(() => iface.saveSession(config, session, exchange.response)).toThrow(
        /cookie is too large.*MAX_COOKIE_SIZE/s,
      );
      expect(exchange.setCookies()).toEqual([]);
    });

    it('an invalid SameSite fails the save with a message naming the values', () => {
      const { iface } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'k', SESSION_COOKIE_SAMESITE: 'invalid' });
      const session = new SecureCookieSession();
      session.set('a', 1);
      expect(() => save(iface, config, session)).toThrow("SameSite must be 'Strict', 'Lax', or 'None'");
    });

    it('a Secure cookie over plain HTTP is sent, with one warning that names trust proxy', () => {
      const { iface, warn } = setup();
      const config = createSessionConfig({ SECRET_KEY: 'test key', SESSION_COOKIE_SECURE: true });
      for (let i = 0; i < 2; i += 1) {
        const session = new SecureCookieSession();
        session.set('a', i);
        expect(save(iface, config, session).setCookies()[0]).toContain('; Secure;');
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain('trust proxy');
    });

    it('getters can be overridden per request (test_session_dynamic_cookie_name)', () => {
      const iface = new Interface();
      const byDefault = iface.getCookieName.bind(iface);
      iface.getCookieName = (config, request) =>
        request?.url.endsWith('dynamic_cookie') ? 'dynamic_cookie_name' : byDefault(config);
      const config = createSessionConfig({ SECRET_KEY: 'k' });
      const exchange = fakeExchange();
      exchange.incoming.url = '/set_dynamic_cookie';
      const session = new SecureCookieSession();
      session.set('value', 616);
      iface.saveSession(config, session, exchange.response);
      expect(exchange.setCookies()[0]).toMatch(/^dynamic_cookie_name=/);
    });
  });
});
