import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  createSessionConfig,
  SecureCookieSessionInterface,
  type SessionConfig,
} from '../../lib/interfaces/index.js';
import { Markup, Tuple, UUID } from '../../lib/json/index.js';
import { NullSession, SecureCookieSession } from '../../lib/sessions/index.js';
import { URLSafeTimedSerializer } from '../../lib/signing/index.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { fakeExchange } from './fake-http.js';

const NOW = 1700000000;
const EXAMPLE_1 = 'eyJuYW1lIjoiYWxpY2UiLCJ1c2VyX2lkIjo0Mn0.ZVPxAA.FDKVgqPmIWNvDD8SnblR4-PQdhk';

/** Signs payload text as the interface would, without encoding it first. */
const rawSigner = () => new URLSafeTimedSerializer('test key', { salt: 'cookie-session', keyDerivation: 'hmac', serializer: passThroughSerializer });

function setup(overrides: Partial<SessionConfig> = {}) {
  const iface = new SecureCookieSessionInterface();
  const warn = jest.fn<(message: string) => void>();
  iface.logger = { warn, error: jest.fn() };
  const config = createSessionConfig({ SECRET_KEY: 'test key', ...overrides });
  return { iface, config, warn };
}

function save(iface: SecureCookieSessionInterface, config: SessionConfig, session: SecureCookieSession, vary?: string) {
  const exchange = fakeExchange();
  if (vary) exchange.outgoing.setHeader('Vary', vary);
  iface.saveSession(config, session, exchange.response);
  return exchange;
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW * 1000, doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('SecureCookieSessionInterface.openSession (spec §3.2)', () => {
  it('no SECRET_KEY: null (the caller makes a null session)', () => {
    const { iface } = setup();
    for (const key of [null, '', Buffer.alloc(0)]) {
      const config = createSessionConfig({ SECRET_KEY: key });
      expect(iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)).toBeNull();
      expect(iface.makeNullSession(config)).toBeInstanceOf(NullSession);
    }
  });

  it('no cookie or an empty cookie: a fresh empty session', () => {
    const { iface, config } = setup();
    for (const header of [undefined, 'session=', 'other=1']) {
      const session = iface.openSession(config, fakeExchange(header).request)!;
      expect(session).toBeInstanceOf(SecureCookieSession);
      expect(session.size).toBe(0);
      expect(session.modified).toBe(false);
    }
  });

  it('opens Flask example 1', () => {
    const { iface, config } = setup();
    const session = iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!;
    expect(session.toJSON()).toEqual({ name: 'alice', user_id: 42 });
  });

  it('reads the first cookie of the name, as Werkzeug', () => {
    const { iface, config } = setup();
    const session = iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}; session=garbage`).request)!;
    expect(session.get('user_id')).toBe(42);
  });

  it('bad signature, wrong key and expiry give an empty session without a warning', () => {
    const { iface, config, warn } = setup();
    const cases = [EXAMPLE_1.slice(0, -1), 'garbage', '...', `${EXAMPLE_1}x`];
    for (const value of cases) expect(iface.openSession(config, fakeExchange(`session=${value}`).request)!.size).toBe(0);
    const other = createSessionConfig({ SECRET_KEY: 'other key' });
    expect(iface.openSession(other, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(0);
    jest.setSystemTime((NOW + 31 * 86400 + 1) * 1000);
    expect(iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('max age applies to every cookie, and age == max age is still valid', () => {
    const { iface } = setup();
    const config = createSessionConfig({ SECRET_KEY: 'test key', PERMANENT_SESSION_LIFETIME: 60 });
    jest.setSystemTime((NOW + 60) * 1000);
    expect(iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(2);
    jest.setSystemTime((NOW + 61) * 1000);
    expect(iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(0);
  });

  it('a correctly signed but undecodable payload is an empty session and one warning', () => {
    const { iface, config, warn } = setup();
    const raw = rawSigner();
    for (const payload of ['{"id":{" u":"not-a-uuid"}}', '42', '"text"', '[1,2]', '{"unterminated":']) {
      warn.mockClear();
      const session = iface.openSession(config, fakeExchange(`session=${raw.dumps(payload)}`).request)!;
      expect(session.size).toBe(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain("'session' cookie");
    }
  });

  it('null and [] payloads are empty sessions; a list of pairs becomes a dict (Python dict())', () => {
    const { iface, config, warn } = setup();
    const raw = rawSigner();
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps('null')}`).request)!.size).toBe(0);
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps('[]')}`).request)!.size).toBe(0);
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps('[["a",1]]')}`).request)!.toJSON()).toEqual({ a: 1 });
    expect(warn).not.toHaveBeenCalled();
  });

  it('SECRET_KEY_FALLBACKS verify; SECRET_KEY signs', () => {
    const { iface } = setup();
    const old = createSessionConfig({ SECRET_KEY: '0 key' });
    const session = new SecureCookieSession({ a: 1 });
    session.modified = true;
    const minted = save(iface, old, session).setCookies()[0]!.split(';')[0]!;
    const rotated = createSessionConfig({ SECRET_KEY: '+1 key', SECRET_KEY_FALLBACKS: ['0 key', '-1 key'] });
    const opened = iface.openSession(rotated, fakeExchange(minted).request)!;
    expect(opened.toJSON()).toEqual({ a: 1 });
    opened.set('a', 2);
    const resigned = save(iface, rotated, opened).setCookies()[0]!.split(';')[0]!;
    const newOnly = createSessionConfig({ SECRET_KEY: '+1 key' });
    expect(iface.openSession(newOnly, fakeExchange(resigned).request)!.toJSON()).toEqual({ a: 2 });
    expect(iface.openSession(newOnly, fakeExchange(minted).request)!.size).toBe(0);
  });
});

describe('SecureCookieSessionInterface.saveSession (spec §3.3)', () => {
  it('Flask example 1, byte for byte', () => {
    const { iface, config } = setup();
    const session = new SecureCookieSession();
    session.update({ user_id: 42, name: 'alice' });
    const { setCookies, vary } = save(iface, config, session);
    expect(setCookies()).toEqual([`session=${EXAMPLE_1}; HttpOnly; Path=/`]);
    expect(vary()).toBe('Cookie');
  });

  it('Flask example 2 (tagged types, permanent, SameSite, Secure), byte for byte', () => {
    const { iface } = setup();
    const config = createSessionConfig({ SECRET_KEY: 's3cr3t-Key!', SESSION_COOKIE_SAMESITE: 'Lax', SESSION_COOKIE_SECURE: true });
    const session = new SecureCookieSession();
    session.update({
      _permanent: true,
      tup: Tuple.from([1, 2, 3]),
      raw: Buffer.from([0xff, 0x00, 0x68, 0x69]),
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      uid: new UUID('12345678-1234-5678-1234-567812345678'),
      html: new Markup('<b>hi</b>'),
      text: 'h\u00e9llo \u2603 \u{1F600}',
      esc: { ' t': 'not-a-tuple' },
      _flashes: [Tuple.from(['message', 'Saved!'])],
    });
    expect(save(iface, config, session).setCookies()).toEqual([
      'session=.eJx1j8FqwzAQRH9F3bNCNpKTJibJoZdCoYfS3Bpj5GpbGWQ5WFJdCP73bpxzLxrYt6PZuUL95U10FKH8uIJILNBRjOabQMK7-SH7ANVUSagvNHQmUOCdNGSSQPETSjbZdpZU11BC6NPCLFK-eIJpkuBS52fcMdw3R9ful80RmAxmnEHDYDk-9ebtcLjNE_1yBLhzRqSd9704Z7VBzWK32vJLiHwcZ9xz-eaVVFJXbM6tnYeZf1gpXaw3j9v_9BY2Ogr3Emw4cSuBSryYIBSqQqAusShxLZ5fT9zmD0gvVfk.ZVPxAA.Tc8l1rgt0SGq5QDHNDEh9fNlndE; Expires=Fri, 15 Dec 2023 22:13:20 GMT; Secure; HttpOnly; Path=/; SameSite=Lax',
    ]);
  });

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
      SESSION_COOKIE_DOMAIN: '.example.com',
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_PARTITIONED: true,
      SESSION_COOKIE_SAMESITE: 'Lax',
      SESSION_COOKIE_PATH: '/',
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
    expect(save(iface, config, session, 'Accept-Encoding, Accept-Language').vary()).toBe('Accept-Encoding, Accept-Language, Cookie');
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
    expect(() => iface.saveSession(config, session, exchange.response)).toThrow(/cookie is too large.*MAX_COOKIE_SIZE/s);
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

  it('nesting deeper than the decoder allows is a fresh session and one warning', () => {
    const { iface, config, warn } = setup();
    const raw = rawSigner();
    const deep = `{"a":${'['.repeat(300)}${']'.repeat(300)}}`;
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps(deep)}`).request)!.size).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('deeper than 128');
  });

  it('getters can be overridden per request (test_session_dynamic_cookie_name)', () => {
    class Dynamic extends SecureCookieSessionInterface {
      override getCookieName(config: SessionConfig, request?: { url: string }): string {
        return request?.url.endsWith('dynamic_cookie') ? 'dynamic_cookie_name' : super.getCookieName(config);
      }
    }
    const iface = new Dynamic();
    const config = createSessionConfig({ SECRET_KEY: 'k' });
    const exchange = fakeExchange();
    exchange.incoming.url = '/set_dynamic_cookie';
    const session = new SecureCookieSession();
    session.set('value', 616);
    iface.saveSession(config, session, exchange.response);
    expect(exchange.setCookies()[0]).toMatch(/^dynamic_cookie_name=/);
  });
});
