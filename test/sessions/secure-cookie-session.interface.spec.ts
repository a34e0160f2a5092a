/**
 * SecureCookieSessionInterface without HTTP (a fake request and response): open_session's and
 * save_session's decisions in flask/sessions.py, in Flask's order.
 */
import { jest } from '@jest/globals';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import { SecureCookieSessionInterface } from '../../lib/sessions/index.js';
import { Markup, Tuple, UUID } from '../../lib/tagged-json/index.js';
import { SecureCookieSession } from '../../lib/sessions/index.js';
import { URLSafeTimedSerializer } from '../../lib/itsdangerous/index.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { fakeExchange } from '../support/fake-http.js';

const NOW = 1700000000;
const EXAMPLE_1 = 'eyJuYW1lIjoiYWxpY2UiLCJ1c2VyX2lkIjo0Mn0.ZVPxAA.FDKVgqPmIWNvDD8SnblR4-PQdhk';

/** Signs payload text as the interface would, without encoding it first. */
const rawSigner = () =>
  new URLSafeTimedSerializer('test key', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: passThroughSerializer,
  });

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

describe('SecureCookieSessionInterface.openSession (flask/sessions.py open_session)', () => {
  it('opens Flask example 1', () => {
    const { iface, config } = setup();
    const session = iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!;
    expect(session.toJSON()).toEqual({ name: 'alice', user_id: 42 });
  });

  it('bad signature, wrong key and expiry give an empty session without a warning', () => {
    const { iface, config, warn } = setup();
    const cases = [EXAMPLE_1.slice(0, -1), 'garbage', '...', `${EXAMPLE_1}x`];
    for (const value of cases)
      expect(iface.openSession(config, fakeExchange(`session=${value}`).request)!.size).toBe(0);
    const other = createSessionConfig({ SECRET_KEY: 'other key' });
    expect(iface.openSession(other, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(0);
    jest.setSystemTime((NOW + 31 * 86400 + 1) * 1000);
    expect(iface.openSession(config, fakeExchange(`session=${EXAMPLE_1}`).request)!.size).toBe(0);
    expect(warn).not.toHaveBeenCalled();
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
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps('[["a",1]]')}`).request)!.toJSON()).toEqual({
      a: 1,
    });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('SecureCookieSessionInterface.saveSession (flask/sessions.py save_session)', () => {
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
    const config = createSessionConfig({
      SECRET_KEY: 's3cr3t-Key!',
      SESSION_COOKIE_SAMESITE: 'Lax',
      SESSION_COOKIE_SECURE: true,
    });
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

  it('nesting deeper than the decoder allows is a fresh session and one warning', () => {
    const { iface, config, warn } = setup();
    const raw = rawSigner();
    const deep = `{"a":${'['.repeat(300)}${']'.repeat(300)}}`;
    expect(iface.openSession(config, fakeExchange(`session=${raw.dumps(deep)}`).request)!.size).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('deeper than 128');
  });
});
