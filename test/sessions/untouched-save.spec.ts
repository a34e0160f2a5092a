/**
 * Saving a session nobody used (Flask's `save_session` after a view that never touched
 * `session`): only a permanent session is refreshed (`should_set_cookie`, flask/sessions.py), so
 * the cookie interfaces tell from the request whether the session needs opening at all; the
 * answer never skips a save that would write something.
 */
import { jest } from '@jest/globals';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import { SessionContext } from '../../lib/http/index.js';
import {
  EncryptedCookieSessionInterface,
  SecureCookieSession,
  SecureCookieSessionInterface,
  type CookieSessionInterface,
  type CookieSessionInterfaceOptions,
  type SessionResponse,
} from '../../lib/sessions/index.js';
import { fakeExchange } from '../support/fake-http.js';

const NOW = 1700000000;

type Factory = (options?: CookieSessionInterfaceOptions) => CookieSessionInterface;
const INTERFACES: Array<[string, Factory]> = [
  ['signed', (options) => new SecureCookieSessionInterface(options)],
  ['signed, cache off', () => new SecureCookieSessionInterface({ verifiedCacheBytes: 0 })],
  ['encrypted', (options) => new EncryptedCookieSessionInterface(options)],
  ['encrypted, cache off', () => new EncryptedCookieSessionInterface({ verifiedCacheBytes: 0 })],
];

beforeEach(() => {
  jest.useFakeTimers({ now: NOW * 1000, doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

function cookieFor(iface: CookieSessionInterface, config: SessionConfig, data: Record<string, unknown>): string {
  const session = new SecureCookieSession(data);
  session.modified = true;
  const exchange = fakeExchange();
  iface.saveSession(config, session, exchange.response);
  return exchange.setCookies()[0]!.split(';')[0]!;
}

/** What saving an untouched session writes, through the request's context as the platforms save it. */
function untouchedSave(iface: CookieSessionInterface, config: SessionConfig, cookie?: string) {
  const exchange = fakeExchange(cookie);
  const logger = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
  const context = new SessionContext(
    { config, sessionInterface: iface, logger },
    exchange.request,
    exchange.response as SessionResponse,
  );
  // Spied on the prototype: an own property would read as a subclass's replacement, which always opens.
  const opened = jest.spyOn(Object.getPrototypeOf(iface) as CookieSessionInterface, 'openSession');
  context.save();
  const wasOpened = opened.mock.calls.length > 0;
  opened.mockRestore();
  return { setCookies: exchange.setCookies(), vary: exchange.vary(), wasOpened };
}

describe.each(INTERFACES)('an untouched session (%s)', (_name, factory) => {
  const config = () => createSessionConfig({ SECRET_KEY: 'untouched test key' });

  it('without a cookie is neither opened nor written', () => {
    const iface = factory();
    expect(iface.mustOpenToSave(config(), fakeExchange().request)).toBe(false);
    expect(untouchedSave(iface, config())).toEqual({ setCookies: [], vary: undefined, wasOpened: false });
  });

  it('with a cookie that is not permanent: nothing is written, whether or not it was opened', () => {
    const iface = factory();
    const cfg = config();
    const cookie = cookieFor(iface, cfg, { user: 'alice' });
    const result = untouchedSave(iface, cfg, cookie);
    expect(result.setCookies).toEqual([]);
    expect(result.vary).toBeUndefined();
    // The signed format is readable without the key, and a cached cookie is known: both skip opening.
    if (!_name.startsWith('encrypted, cache off')) expect(result.wasOpened).toBe(false);
  });

  it('with a permanent cookie is opened and refreshed, as Flask does', () => {
    const iface = factory();
    const cfg = config();
    const cookie = cookieFor(iface, cfg, { _permanent: true, user: 'alice' });
    jest.setSystemTime((NOW + 5) * 1000);
    const result = untouchedSave(iface, cfg, cookie);
    expect(result.wasOpened).toBe(true);
    expect(result.setCookies).toHaveLength(1);
    expect(result.setCookies[0]).toMatch(/; Expires=/);
    expect(result.setCookies[0]!.split(';')[0]).not.toBe(cookie);
  });

  it('a permanent cookie the process has not seen is opened too', () => {
    const iface = factory();
    const cfg = config();
    const cookie = cookieFor(factory({ verifiedCacheBytes: 0 }), cfg, { _permanent: true, user: 'alice' });
    expect(untouchedSave(iface, cfg, cookie).setCookies).toHaveLength(1);
  });

  it('with SESSION_REFRESH_EACH_REQUEST off, even a permanent cookie is left alone', () => {
    const iface = factory();
    const cfg = { ...config(), SESSION_REFRESH_EACH_REQUEST: false };
    const cookie = cookieFor(iface, cfg, { _permanent: true });
    expect(iface.mustOpenToSave(cfg, fakeExchange(cookie).request)).toBe(false);
    expect(untouchedSave(iface, cfg, cookie).setCookies).toEqual([]);
  });

  it('without SECRET_KEY (null sessions) nothing is opened', () => {
    const iface = factory();
    const cfg = createSessionConfig({});
    expect(iface.mustOpenToSave(cfg, fakeExchange('session=anything').request)).toBe(false);
  });

  it('a value whose payload cannot be read is opened (opening reports it)', () => {
    const iface = factory();
    expect(iface.mustOpenToSave(config(), fakeExchange('session=garbage').request)).toBe(true);
  });
});

describe('untouched sessions and save hooks', () => {
  it('a save hook (Flask-Login refreshing its remember cookie) still gets the session, opened for it', () => {
    const iface = new SecureCookieSessionInterface();
    const config = createSessionConfig({ SECRET_KEY: 'untouched test key' });
    const exchange = fakeExchange();
    const context = new SessionContext(
      { config, sessionInterface: iface, logger: { log: jest.fn(), error: jest.fn(), warn: jest.fn() } },
      exchange.request,
      exchange.response as SessionResponse,
    );
    const seen: unknown[] = [];
    context.beforeSave((session) => {
      seen.push(session.toJSON());
      session.set('remembered', true);
    });
    context.save();
    expect(seen).toEqual([{}]);
    expect(exchange.setCookies()).toHaveLength(1);
  });
});

describe('untouched sessions and interface subclasses', () => {
  it('an interface whose saving a subclass changed always opens', () => {
    class AlwaysSaves extends SecureCookieSessionInterface {
      override shouldSetCookie(): boolean {
        return true;
      }
    }
    const iface = new AlwaysSaves();
    const cfg = createSessionConfig({ SECRET_KEY: 'untouched test key' });
    const cookie = cookieFor(iface, cfg, { user: 'alice' });
    expect(iface.mustOpenToSave(cfg, fakeExchange(cookie).request)).toBe(true);
    expect(untouchedSave(iface, cfg, cookie).setCookies).toHaveLength(1);
  });

  it('the encrypted interface migrating signed cookies opens them, so they are re-written encrypted', () => {
    const iface = new EncryptedCookieSessionInterface({ acceptSignedCookies: true });
    const cfg = createSessionConfig({ SECRET_KEY: 'untouched test key' });
    const signed = cookieFor(new SecureCookieSessionInterface(), cfg, { user: 'alice' });
    expect(iface.mustOpenToSave(cfg, fakeExchange(signed).request)).toBe(true);
    const result = untouchedSave(iface, cfg, signed);
    expect(result.setCookies[0]).toMatch(/^session=v1\./);
  });

  it('a `_permanent` key spelled with an escape is still seen as possibly permanent', () => {
    const iface = new SecureCookieSessionInterface({ verifiedCacheBytes: 0 });
    const cfg = createSessionConfig({ SECRET_KEY: 'untouched test key' });
    const serializer = iface.getSigningSerializer(cfg)!;
    // A payload another producer might write: the key's underscore as \u005f.
    const value = serializer.makeSigner().sign(Buffer.from('{"\\u005fpermanent":true}').toString('base64url'));
    expect(iface.mustOpenToSave(cfg, fakeExchange(`session=${value}`).request)).toBe(true);
    expect(untouchedSave(iface, cfg, `session=${value}`).setCookies).toHaveLength(1);
  });
});
