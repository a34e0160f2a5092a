import { jest } from '@jest/globals';
import { CookieSealer } from '../../lib/encryption/index.js';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import {
  EncryptedCookieSessionInterface,
  SecureCookieSessionInterface,
  type EncryptedCookieSessionOptions,
} from '../../lib/sessions/index.js';
import { SecureCookieSession } from '../../lib/sessions/index.js';
import { URLSafeTimedSerializer } from '../../lib/itsdangerous/index.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { fakeExchange } from '../support/fake-http.js';

const NOW = 1700000000;
const SECRET_KEY = 'encryption test key';

function setup(options: EncryptedCookieSessionOptions = {}, overrides: Partial<SessionConfig> = {}) {
  const iface = new EncryptedCookieSessionInterface(options);
  const warn = jest.fn<(message: string) => void>();
  iface.logger = { warn, error: jest.fn() };
  const config = createSessionConfig({ SECRET_KEY, ...overrides });
  return { iface, config, warn };
}

function saved(
  iface: EncryptedCookieSessionInterface | SecureCookieSessionInterface,
  config: SessionConfig,
  session: SecureCookieSession,
) {
  const exchange = fakeExchange();
  iface.saveSession(config, session, exchange.response);
  return exchange.setCookies()[0]?.split(';')[0];
}

function modified(data: Record<string, unknown>): SecureCookieSession {
  const session = new SecureCookieSession(data);
  session.modified = true;
  return session;
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW * 1000, doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('EncryptedCookieSessionInterface', () => {
  it('writes a v1 value that hides the session and is not a signed cookie', () => {
    const { iface, config } = setup();
    const cookie = saved(iface, config, modified({ user: 'alice@example.com', role: 'admin' }))!;
    expect(cookie).toMatch(/^session=v1\.[A-Za-z0-9_-]+$/);
    expect(cookie).not.toMatch(/alice|admin|YWxpY2|ZWFkbW/);
    expect(() => new SecureCookieSessionInterface().loadCookieValue(config, cookie.slice('session='.length))).toThrow();
    expect(iface.openSession(config, fakeExchange(cookie).request)!.toJSON()).toEqual({
      user: 'alice@example.com',
      role: 'admin',
    });
  });

  it.each<[string, (value: string) => string, Partial<SessionConfig>, RegExp]>([
    [
      'tampered',
      (value) => `${value.slice(0, 20)}${value[20] === 'A' ? 'B' : 'A'}${value.slice(21)}`,
      {},
      /does not authenticate/,
    ],
    ['truncated', (value) => value.slice(0, 35), {}, /too short to hold a sealed session/],
    ['cut mid-character', (value) => value.slice(0, 36), {}, /not base64url after its "v1." prefix/],
    ['wrong key', (value) => value, { SECRET_KEY: 'a different key' }, /does not authenticate under SECRET_KEY/],
    ['wrong version', (value) => `v2.${value.slice(3)}`, {}, /format version v2/],
    ['not base64url', (value) => `${value}!`, {}, /not base64url/],
    ['expired', (value) => value, { PERMANENT_SESSION_LIFETIME: 60 }, /issued 61 s ago, more than the 60 s/],
  ])(
    '%s: a fresh session and no log line, as any client can send one; loadCookieValue says why without quoting it',
    (name, change, overrides, reason) => {
      const { iface, config, warn } = setup({}, overrides);
      const value = saved(iface, createSessionConfig({ SECRET_KEY }), modified({ secret: 'hunter2' }))!.slice(
        'session='.length,
      );
      if (name === 'expired') jest.setSystemTime((NOW + 61) * 1000);
      for (let request = 0; request < 3; request++) {
        const session = iface.openSession(config, fakeExchange(`session=${change(value)}`).request)!;
        expect(session).toBeInstanceOf(SecureCookieSession);
        expect(session.size).toBe(0);
        expect(session.modified).toBe(false);
      }
      expect(warn).not.toHaveBeenCalled();
      let message = '';
      try {
        iface.loadCookieValue(config, change(value));
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(reason);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain(value.slice(3, 24));
    },
  );

  it('an authentic payload that is no session, or nests too deep: a fresh session and one warning', () => {
    const { iface, config, warn } = setup();
    const sealer = iface.getSealer(config)!;
    for (const payload of [
      '42',
      '"text"',
      '[1,2]',
      '{"id":{" u":"not-a-uuid"}}',
      '{"unterminated":',
      `{"a":${'['.repeat(300)}${']'.repeat(300)}}`,
    ]) {
      warn.mockClear();
      expect(iface.openSession(config, fakeExchange(`session=${sealer.seal(payload)}`).request)!.size).toBe(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/payload/);
    }
    expect(warn.mock.calls[0]![0]).toContain('deeper than 128'); // the last payload
    expect(iface.openSession(config, fakeExchange(`session=${sealer.seal('[["a",1]]')}`).request)!.toJSON()).toEqual({
      a: 1,
    });
    expect(iface.openSession(config, fakeExchange(`session=${sealer.seal('null')}`).request)!.size).toBe(0);
  });

  it('keys are derived for encryption only: a cookie sealed with the signing key derivation does not open', () => {
    const { iface, config } = setup();
    const sealedWithLabelOfSigner = new CookieSealer([SECRET_KEY], { purpose: 'cookie-session' }).seal('{"a":1}');
    expect(() => iface.loadCookieValue(config, sealedWithLabelOfSigner)).toThrow(/does not authenticate/);
  });

  it('a Flask-signed cookie without acceptSignedCookies: a fresh session, and the warning points at the option', () => {
    const { iface, config, warn } = setup();
    const signed = saved(new SecureCookieSessionInterface(), config, modified({ user_id: 1 }))!;
    expect(iface.openSession(config, fakeExchange(signed).request)!.size).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('acceptSignedCookies');
  });

  it('a signed cookie that does not verify under the app keys, without acceptSignedCookies: no log line', () => {
    const { iface, config, warn } = setup();
    const forged = saved(
      new SecureCookieSessionInterface(),
      createSessionConfig({ SECRET_KEY: 'attacker key' }),
      modified({ user_id: 1 }),
    )!;
    for (const cookie of [forged, 'session=garbage', 'session=eyJ4Ijo1fQ.Zk_5AA.bad-signature']) {
      expect(iface.openSession(config, fakeExchange(cookie).request)!.size).toBe(0);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('forged, cut and foreign values are not logged; an authentic value that fails to decode is', () => {
    const { iface, config, warn } = setup();
    const sealer = iface.getSealer(config)!;
    const genuine = sealer.seal('{"a":1}');
    const forgedOrExpired = [
      `${genuine.slice(0, 20)}${genuine[20] === 'A' ? 'B' : 'A'}${genuine.slice(21)}`,
      'v1.AAAA',
      'x',
    ];
    for (const value of forgedOrExpired) iface.openSession(config, fakeExchange(`session=${value}`).request);
    expect(warn).not.toHaveBeenCalled();
    iface.openSession(config, fakeExchange(`session=${sealer.seal('[1,2]')}`).request);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^Ignoring the 'session' cookie: its payload is not a session/);
  });

  describe('migration from signed cookies (acceptSignedCookies)', () => {
    it('a Flask-signed cookie opens once and this response re-writes it encrypted', () => {
      const { iface, config, warn } = setup(
        { acceptSignedCookies: true },
        { SECRET_KEY: 'new key', SECRET_KEY_FALLBACKS: ['old key'] },
      );
      const signed = saved(
        new SecureCookieSessionInterface(),
        createSessionConfig({ SECRET_KEY: 'old key' }),
        modified({ user_id: 1, _permanent: true }),
      )!;
      const session = iface.openSession(config, fakeExchange(signed).request)!;
      expect(session.toJSON()).toEqual({ user_id: 1, _permanent: true });
      expect(session.modified).toBe(true);
      const encrypted = saved(iface, config, session)!;
      expect(encrypted).toMatch(/^session=v1\./);
      const reopened = iface.openSession(
        createSessionConfig({ SECRET_KEY: 'new key' }),
        fakeExchange(encrypted).request,
      )!;
      expect(reopened.toJSON()).toEqual({ user_id: 1, _permanent: true });
      expect(reopened.modified).toBe(false);
      expect(warn).not.toHaveBeenCalled();
    });

    it('a signed cookie that does not verify, or has expired, is a fresh session', () => {
      const { iface, config, warn } = setup({ acceptSignedCookies: true }, { PERMANENT_SESSION_LIFETIME: 60 });
      const forged = saved(
        new SecureCookieSessionInterface(),
        createSessionConfig({ SECRET_KEY: 'attacker key' }),
        modified({ admin: true }),
      )!;
      expect(iface.openSession(config, fakeExchange(forged).request)!.size).toBe(0);
      const genuine = saved(new SecureCookieSessionInterface(), config, modified({ user_id: 1 }))!;
      jest.setSystemTime((NOW + 61) * 1000);
      expect(iface.openSession(config, fakeExchange(genuine).request)!.size).toBe(0);
      expect(iface.openSession(config, fakeExchange('session=garbage').request)!.size).toBe(0);
      expect(warn).not.toHaveBeenCalled();
    });

    it('a correctly signed cookie whose payload does not decode is a fresh session with a warning', () => {
      const { iface, config, warn } = setup({ acceptSignedCookies: true });
      const raw = new URLSafeTimedSerializer(SECRET_KEY, {
        salt: 'cookie-session',
        keyDerivation: 'hmac',
        serializer: passThroughSerializer,
      });
      expect(
        iface.openSession(config, fakeExchange(`session=${raw.dumps('{"id":{" u":"not-a-uuid"}}')}`).request)!.size,
      ).toBe(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(
        /correctly signed but cannot be decoded \(BadPayload.*A fresh session was started\.$/,
      );
    });
  });

  it('options reach the sealer', () => {
    const { iface, config } = setup({ compressionThreshold: 0, maxPayloadSize: 4096 });
    expect(iface.getSealer(config)).toMatchObject({ compressionThreshold: 0, maxPayloadSize: 4096 });
    expect(setup().iface.getSealer(config)).toMatchObject({ compressionThreshold: 128, maxPayloadSize: 256 * 1024 });
    expect(iface.getSealer(config)).toBe(iface.getSealer(config));
  });
});
