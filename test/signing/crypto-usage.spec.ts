/**
 * Proves two properties by watching node:crypto itself (the module is replaced by spies before
 * the signing layer is imported): signatures are compared with timingSafeEqual, and keys are
 * derived once per Signer, not per call.
 */
import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';

const timingSafeEqual = jest.fn(realCrypto.timingSafeEqual);
const createHash = jest.fn(realCrypto.createHash);
const createHmac = jest.fn(realCrypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...realCrypto, default: realCrypto, timingSafeEqual, createHash, createHmac }));
const { BadSignature, Signer, URLSafeTimedSerializer } = await import('../../lib/signing/index.js');

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
  it.each(['hmac', 'concat', 'django-concat', 'none'] as const)('%s: per-call work is one HMAC per key tried, no derivation', (keyDerivation) => {
    const s = new URLSafeTimedSerializer(['a', 'b', 'c'], { keyDerivation, salt: 'cookie-session', now: () => 1700000000 });
    const cookie = s.dumps({ user: 'alice' });
    const signedByOldest = new URLSafeTimedSerializer('a', { keyDerivation, salt: 'cookie-session', now: () => 1700000000 }).dumps({ user: 'bob' });
    createHash.mockClear();
    createHmac.mockClear();

    s.dumps({ user: 'alice' });
    expect(createHmac).toHaveBeenCalledTimes(1);
    s.loads(cookie, { maxAge: 60 });
    expect(createHmac).toHaveBeenCalledTimes(2); // the newest key matches first
    s.loads(signedByOldest, { maxAge: 60 });
    expect(createHmac).toHaveBeenCalledTimes(5); // newest first: c, b, then a
    expect(createHash).not.toHaveBeenCalled();
  });
});
