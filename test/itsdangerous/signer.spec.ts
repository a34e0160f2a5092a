/**
 * Signer: key derivations and digests, key rotation, the separator, unsign and validate, then
 * itsdangerous' own tests/test_itsdangerous/test_signer.py, ported.
 */
import { BadSignature, Signer, type DigestMethod, type KeyDerivation } from '../../lib/itsdangerous/index.js';
import { catchError } from '../support/catch-error.js';
import { testAbstractAlgorithm, testSigner } from '../support/itsdangerous-suites.js';

/**
 * Produced by itsdangerous 2.1.2 (Debian python3-itsdangerous, /usr/bin/python3):
 *   Signer(['old', 'k'], salt='s', key_derivation=kd, digest_method=hashlib.<digest>).sign('value')
 */
const PYTHON_SIGNATURES: Array<[KeyDerivation, DigestMethod, string]> = [
  ['hmac', 'sha1', 'value.Ic62NDlb_WyV3VdM5wZhnxNvVbY'],
  ['hmac', 'sha256', 'value.QGMH4Kx8gaCKZNAySyqGff9sl0A--GBHk_jA9kHpJfE'],
  ['hmac', 'sha512', 'value.7eLHIVBD1njVjYPff1mkMEXCZSqWOf2zF-W-piz3iRFJ6ykOpf8MvBa0pVR1UEYbzIyJXUXzHGIzNcPp95mr-w'],
  ['concat', 'sha1', 'value.g9gHp1fUJ2XKBVOyyeRurw_wBus'],
  ['concat', 'sha256', 'value.s0LXwXPwVyd92TDHiebidlDURU7jQw4HPMJPoyafVMk'],
  ['concat', 'sha512', 'value.ZiIwLpM2LSQuYAYM04TAhfHbdvyiodWukeKPZkXAzUsGoMuYlfpC19c7dwUAWhVyaCm6VMCClRjDD4qwF0Y7HQ'],
  ['django-concat', 'sha1', 'value.WAhB9FZzo8Omc-Y9J0P9GjgOk1E'],
  ['django-concat', 'sha256', 'value.UdW6EumfwvqkMdaD8Hynn--w1ZxfVvN6EQZh7oqy57g'],
  [
    'django-concat',
    'sha512',
    'value.l5FGZowlLdAvKvu1jsGz3JazbybloZ76XMz3AUU9ayTvZulDxeOKS-WnD5T7cdejpS4U495mHuXHOZnw10ZaBg',
  ],
  ['none', 'sha1', 'value.lUpSwKtzf3knaaqBZ8dcOApo98o'],
  ['none', 'sha256', 'value.li0f3EyOlocY-IzcgtpOpB2jE14A1YgEiHHzVaD06l4'],
  ['none', 'sha512', 'value.-y_m_hi9lbCxenseMkEPsT2khRwauvOvBsceRXlowWBybdpriZGCBfPc2sMEpvgD44ZqvBKQz1itQS3vDalAew'],
];

describe('Signer: key derivations and digests', () => {
  it.each(PYTHON_SIGNATURES)(
    '%s / %s signs exactly as itsdangerous, with the last key',
    (keyDerivation, digestMethod, expected) => {
      const rotated = new Signer(['old', 'k'], { salt: 's', keyDerivation, digestMethod });
      expect(rotated.sign('value')).toBe(expected);
      expect(rotated.sign(Buffer.from('value'))).toBe(expected);
      expect(rotated.unsign(expected)).toBe('value');
      expect(new Signer('k', { salt: 's', keyDerivation, digestMethod }).unsign(expected)).toBe('value');
    },
  );

  it('every derivation and digest gives its own signature', () => {
    expect(new Set(PYTHON_SIGNATURES.map(([, , signed]) => signed)).size).toBe(PYTHON_SIGNATURES.length);
    // Same derivation and digest, another salt: another signature.
    expect(new Signer('k', { salt: 't', keyDerivation: 'hmac' }).sign('value')).not.toBe(
      'value.Ic62NDlb_WyV3VdM5wZhnxNvVbY',
    );
  });

  it("defaults are itsdangerous': salt 'itsdangerous.Signer', django-concat, sha1", () => {
    expect(new Signer('k').sign('value')).toBe('value._akPgMDSIuNYlB9yvyFgdlGY-rc');
  });

  it('UTF-8 encodes string keys and salts; Buffer keys are taken as bytes', () => {
    // Signer('clé', salt='sél', key_derivation='hmac').sign('v') in itsdangerous 2.1.2
    expect(new Signer('clé', { salt: 'sél', keyDerivation: 'hmac' }).sign('v')).toBe('v.YgVN7JDLwOqH3uKZOL1jJHyEyG0');
    expect(new Signer(Buffer.from('clé'), { salt: Buffer.from('sél'), keyDerivation: 'hmac' }).sign('v')).toBe(
      'v.YgVN7JDLwOqH3uKZOL1jJHyEyG0',
    );
  });

  it("keys are derived at construction: mutating the caller's key Buffer afterwards changes nothing", () => {
    for (const keyDerivation of ['hmac', 'none'] as const) {
      const key = Buffer.from('k');
      const signer = new Signer(key, { salt: 's', keyDerivation });
      const before = signer.sign('value');
      key.fill(0);
      expect(signer.sign('value')).toBe(before);
    }
  });

  it('rejects an unknown digest or derivation, and an empty key list, at construction', () => {
    expect(() => new Signer('k', { digestMethod: 'no-such-hash' })).toThrow('Unknown digest method');
    expect(() => new Signer('k', { keyDerivation: 'nope' as KeyDerivation })).toThrow('Unknown key derivation method');
    expect(() => new Signer([])).toThrow(TypeError);
  });

  it('accepts other hash names Node knows', () => {
    const signer = new Signer('k', { digestMethod: 'sha384' });
    expect(signer.unsign(signer.sign('v'))).toBe('v');
    expect(signer.sign('v').split('.')[1]).toHaveLength(64);
  });
});

describe('Signer: key rotation', () => {
  const oldSigner = new Signer('old', { keyDerivation: 'hmac' });
  const newSigner = new Signer('new', { keyDerivation: 'hmac' });
  const rotated = new Signer(['older', 'old', 'new'], { keyDerivation: 'hmac' });

  it('the last key signs', () => {
    expect(rotated.sign('v')).toBe(newSigner.sign('v'));
  });

  it('every key in the list verifies', () => {
    for (const key of ['older', 'old', 'new'])
      expect(rotated.unsign(new Signer(key, { keyDerivation: 'hmac' }).sign('v'))).toBe('v');
  });

  it('a key dropped from the list no longer verifies', () => {
    expect(() => newSigner.unsign(oldSigner.sign('v'))).toThrow(BadSignature);
    expect(newSigner.validate(oldSigner.sign('v'))).toBe(false);
  });
});

describe('Signer: separator', () => {
  // itsdangerous refuses a separator only when it is a substring of its base64 alphabet
  // "a-zA-Z0-9-_=" (`self.sep in _base64_alphabet`), so "x|" and "az" are fine there, and here.
  it.each(['a', 'Z', '0', '9', '-', '_', '=', '', 'ab', 'xyzAB', 'Z0', '9-_='])(
    'rejects %j (a substring of the base64 alphabet)',
    (sep) => {
      expect(() => new Signer('k', { sep })).toThrow(TypeError);
    },
  );

  it('uses another separator when asked, splitting on its last occurrence', () => {
    // Signer('k', sep='|').sign('a.b') in itsdangerous 2.1.2
    const signer = new Signer('k', { sep: '|' });
    expect(signer.sign('a.b')).toBe('a.b|zZY6NjwnrVzlYZTF9_KigDnScZY');
    expect(signer.unsign('a.b|zZY6NjwnrVzlYZTF9_KigDnScZY')).toBe('a.b');
    expect(signer.unsign(signer.sign('x|y'))).toBe('x|y');
    expect(() => signer.unsign('a.b.zZY6NjwnrVzlYZTF9_KigDnScZY')).toThrow('No "|" found in value');
  });
});

describe('Signer: unsign, validate and verifySignature', () => {
  const signer = new Signer('k', { salt: 's', keyDerivation: 'hmac' });
  const signed = signer.sign('value');
  const sig = signed.slice('value.'.length);

  it('unsign returns the value; Buffers work too', () => {
    expect(signer.unsign(signed)).toBe('value');
    expect(signer.unsign(Buffer.from(signed))).toBe('value');
    expect(signer.validate(signed)).toBe(true);
  });

  it('the value may itself contain the separator', () => {
    expect(signer.unsign(signer.sign('a.b.c'))).toBe('a.b.c');
  });

  it('no separator: BadSignature with no payload', () => {
    const error = catchError(() => signer.unsign('abc'));
    expect(error).toBeInstanceOf(BadSignature);
    expect((error as BadSignature).message).toBe('No "." found in value');
    expect((error as BadSignature).payload).toBeNull();
  });

  it('a bad signature: BadSignature carrying the unverified value', () => {
    const error = catchError(() => signer.unsign('abc.def'));
    expect((error as BadSignature).message).toBe('Signature "def" does not match');
    expect((error as BadSignature).payload?.toString()).toBe('abc');
    expect(signer.validate('abc.def')).toBe(false);
  });

  it('wrong signatures of the right length and of wrong lengths are false, never an exception', () => {
    const sameLength = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(sameLength).toHaveLength(sig.length);
    for (const wrong of [
      sameLength,
      sig.slice(0, -1),
      sig.slice(0, -4),
      `${sig}AAAA`,
      `${sig}=`,
      '',
      '!!!!',
      'é',
      sig.toLowerCase(),
    ]) {
      expect(signer.verifySignature('value', wrong)).toBe(false);
      expect(() => signer.unsign(`value.${wrong}`)).toThrow(BadSignature);
    }
    expect(signer.verifySignature('value', sig)).toBe(true);
    expect(signer.verifySignature(Buffer.from('value'), Buffer.from(sig))).toBe(true);
  });

  it('getSignature is the signature part of sign()', () => {
    expect(signer.getSignature('value')).toBe(sig);
    expect(signer.getSignature(Buffer.from('value'))).toBe(sig);
  });

  it('a Buffer that is not UTF-8 signs the text sign() returns, so it still verifies', () => {
    const signedBytes = signer.sign(Buffer.from([0xff, 0x61]));
    expect(signer.unsign(signedBytes)).toBe('\ufffda');
  });
});

describe('itsdangerous 2.2 tests/test_itsdangerous/test_signer.py', () => {
  describe('TestSigner', () => {
    testSigner(Signer);
  });

  testAbstractAlgorithm();
});
