/**
 * Proves two properties by watching node:crypto itself (the module is replaced by spies before
 * the signing layer is imported): signatures are compared with timingSafeEqual, keys are
 * derived once per Signer, not per call, and opening a session checks its cookie once.
 */
import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';
import { MemoryRedis } from '../support/memory-redis.js';

const timingSafeEqual = jest.fn(realCrypto.timingSafeEqual);
const createHash = jest.fn(realCrypto.createHash);
const createHmac = jest.fn(realCrypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({
  ...realCrypto,
  default: realCrypto,
  timingSafeEqual,
  createHash,
  createHmac,
}));
const { BadSignature, Signer, URLSafeTimedSerializer } = await import('../../lib/itsdangerous/index.js');
const { RedisSessionInterface } = await import('../../lib/redis/index.js');
const { createSessionConfig } = await import('../../lib/config/session-config.js');

beforeEach(() => {
  timingSafeEqual.mockClear();
  createHash.mockClear();
  createHmac.mockClear();
});

describe('constant-time comparison', () => {
  const signer = new Signer(['old', 'new'], { keyDerivation: 'hmac' });
  const signed = signer.sign('value');
  const sig = signed.slice('value.'.length);

  it('a valid signature is accepted through timingSafeEqual', () => {
    expect(signer.verifySignature('value', sig)).toBe(true);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it('a wrong signature of the right length goes through timingSafeEqual for every key', () => {
    const wrong = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(signer.verifySignature('value', wrong)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    const [[a, b]] = timingSafeEqual.mock.calls as unknown as Array<[Buffer, Buffer]>;
    expect(a).toHaveLength(20);
    expect(b).toHaveLength(20);
  });

  it('a signature of the wrong length fails cleanly before timingSafeEqual (which would throw)', () => {
    expect(signer.verifySignature('value', sig.slice(0, -4))).toBe(false);
    expect(() => signer.unsign(`value.${sig}AAAA`)).toThrow(BadSignature);
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it('an undecodable signature is false without computing any HMAC', () => {
    expect(signer.verifySignature('value', `${sig}=`)).toBe(false);
    expect(createHmac).not.toHaveBeenCalled();
  });
});

describe('keys are derived once, in the constructor', () => {
  it.each(['hmac', 'concat', 'django-concat', 'none'] as const)(
    '%s: per-call work is one HMAC per key tried, no derivation',
    (keyDerivation) => {
      const s = new URLSafeTimedSerializer(['a', 'b', 'c'], {
        keyDerivation,
        salt: 'cookie-session',
        now: () => 1700000000,
      });
      const cookie = s.dumps({ user: 'alice' });
      const signedByOldest = new URLSafeTimedSerializer('a', {
        keyDerivation,
        salt: 'cookie-session',
        now: () => 1700000000,
      }).dumps({ user: 'bob' });
      createHash.mockClear();
      createHmac.mockClear();

      s.dumps({ user: 'alice' });
      expect(createHmac).toHaveBeenCalledTimes(1);
      s.loads(cookie, { maxAge: 60 });
      expect(createHmac).toHaveBeenCalledTimes(2); // the newest key matches first
      s.loads(signedByOldest, { maxAge: 60 });
      expect(createHmac).toHaveBeenCalledTimes(5); // newest first: c, b, then a
      expect(createHash).not.toHaveBeenCalled();
    },
  );
});

describe('opening a session checks the cookie once', () => {
  /** A RedisSessionInterface over an in-memory store holding one session, and how to reach it. */
  function redisWithOneSession(data: string) {
    const client = new MemoryRedis();
    const store = client.values;
    const iface = new RedisSessionInterface({ client });
    const config = createSessionConfig({ SECRET_KEY: 'new', SECRET_KEY_FALLBACKS: ['old'] });
    const id = iface.newId();
    store.set(`session:${id}`, data);
    const signWith = (...keys: string[]) =>
      new Signer(keys, { salt: iface.salt, keyDerivation: 'hmac', digestMethod: 'sha256' }).sign(id);
    const request = (cookie: string) => ({ getCookie: () => cookie, url: '/', secure: false, raw: {} });
    return { iface, config, id, signWith, request };
  }

  it('RedisSessionInterface: one HMAC for a valid id cookie, one per key for a forged one', async () => {
    const { iface, config, id, signWith, request } = redisWithOneSession('{"user":"alice"}');
    const cookie = signWith('old', 'new');
    await iface.openSession(config, request(cookie)); // builds the signer
    createHmac.mockClear();

    const session = await iface.openSession(config, request(cookie));
    expect(session?.get('user')).toBe('alice');
    expect(createHmac).toHaveBeenCalledTimes(1);

    createHmac.mockClear();
    const forged = await iface.openSession(config, request(`${id}.${'A'.repeat(43)}`));
    expect(forged?.new).toBe(true);
    expect(createHmac).toHaveBeenCalledTimes(2); // newest key, then the fallback
  });

  it('RedisSessionInterface: saving re-sends a current id cookie as it came, and re-signs an old-key one', async () => {
    const { iface, config, signWith, request } = redisWithOneSession('{"n":1}');
    const save = async (cookie: string) => {
      const sessionRequest = request(cookie);
      const session = (await iface.openSession(config, sessionRequest))!;
      session.set('n', 2);
      const sent: string[] = [];
      const response = {
        request: sessionRequest,
        headersSent: false,
        raw: {},
        setCookie() {},
        deleteCookie() {},
        addVary() {},
        appendSetCookie: (header: string) => sent.push(header),
      };
      createHmac.mockClear();
      await iface.saveSession(config, session, response);
      return { sent: sent[0]!.split(';', 1)[0], hmacs: createHmac.mock.calls.length };
    };
    expect(await save(signWith('new'))).toEqual({ sent: `session=${signWith('new')}`, hmacs: 0 });
    expect(await save(signWith('old'))).toEqual({ sent: `session=${signWith('new')}`, hmacs: 1 });
  });
});
