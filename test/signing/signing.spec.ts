import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import pako from 'pako';
import {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  base64UrlDecode,
  deflate,
  SignatureExpired,
  Signer,
  TimestampSigner,
  URLSafeTimedSerializer,
} from '../../lib/signing/index.js';
import { flaskVectors, passThroughSerializer } from '../support/flask-vectors.js';

const vectors = flaskVectors;
const mints = vectors.filter((v) => v.mode === 'mint');
const passThrough = passThroughSerializer;

describe('URLSafeTimedSerializer on Flask payload text', () => {
  it.each(mints.map((v) => [v.name, v] as const))('mints %s byte for byte', (_name, v) => {
    const s = new URLSafeTimedSerializer(v.secret_keys, { salt: v.salt, digestMethod: v.digest, keyDerivation: 'hmac', serializer: passThrough, now: () => v.timestamp! });
    expect(s.dumps(v.tagged)).toBe(v.cookie);
    expect(s.loads(v.cookie, { maxAge: 2678400 })).toBe(v.tagged);
  });

  it('pako reproduces Python zlib on every compressed vector; node:zlib does not (measured)', () => {
    const compressed = mints.filter((v) => v.compressed);
    let nodeMismatches = 0;
    for (const v of compressed) {
      const json = Buffer.from(v.tagged!, 'utf8');
      const expected = base64UrlDecode(v.cookie.slice(1).split('.')[0]!);
      expect(deflate(json).equals(expected)).toBe(true);
      if (!deflateSync(json).equals(expected)) nodeMismatches += 1;
    }
    expect(compressed.length).toBeGreaterThan(5);
    expect(nodeMismatches).toBeGreaterThan(0);
  });
});

describe('itsdangerous behaviour (spec §6.2)', () => {
  const COOKIE = 'eyJuYW1lIjoiYWxpY2UiLCJ1c2VyX2lkIjo0Mn0.ZVPxAA.FDKVgqPmIWNvDD8SnblR4-PQdhk';
  const s = new URLSafeTimedSerializer('test key', { salt: 'cookie-session', keyDerivation: 'hmac', now: () => 1700000000 });

  it('opens the reference cookie with the default JSON serializer', () => {
    expect(s.loads(COOKIE)).toEqual({ name: 'alice', user_id: 42 });
    expect(s.loadsWithTimestamp(COOKIE).timestamp.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it.each([
    ['', BadSignature, 'No "." found in value'],
    ['abc', BadSignature, 'No "." found'],
    ['abc.def', BadSignature, 'does not match'],
    [COOKIE.slice(0, -1), BadTimeSignature, 'does not match'],
    [`${COOKIE}=`, BadTimeSignature, 'does not match'],
    [`${COOKIE}A`, BadTimeSignature, 'does not match'],
    [COOKIE.replace('ZVPxAA', 'ZVPxAA=='), BadTimeSignature, 'does not match'],
  ])('%j → %p', (input, errorClass, message) => {
    expect(() => s.loads(input)).toThrow(errorClass);
    expect(() => s.loads(input)).toThrow(message);
  });

  it('a bad signature with a readable timestamp carries payload and dateSigned', () => {
    try {
      s.loads(COOKIE.slice(0, -2));
      throw new Error('not thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(BadTimeSignature);
      expect((error as BadTimeSignature).dateSigned?.getTime()).toBe(1700000000 * 1000);
      expect((error as BadTimeSignature).payload?.toString()).toBe('eyJuYW1lIjoiYWxpY2UiLCJ1c2VyX2lkIjo0Mn0');
    }
  });

  it('maxAge: age == maxAge is valid, one second more expires, a future timestamp expires', () => {
    const at = (now: number) => new URLSafeTimedSerializer('test key', { salt: 'cookie-session', keyDerivation: 'hmac', now: () => now });
    expect(at(1700000060).loads(COOKIE, { maxAge: 60 })).toBeTruthy();
    expect(() => at(1700000061).loads(COOKIE, { maxAge: 60 })).toThrow(SignatureExpired);
    expect(() => at(1700000061).loads(COOKIE, { maxAge: 60 })).toThrow('Signature age 61 > 60 seconds');
    expect(() => at(1699999999).loads(COOKIE, { maxAge: 60 })).toThrow('Signature age -1 < 0 seconds');
    expect(at(1699999999).loads(COOKIE)).toBeTruthy();
  });

  it('a validly signed value without a timestamp, or with a malformed one, is BadTimeSignature', () => {
    const plain = new Signer('test key', { salt: 'cookie-session', keyDerivation: 'hmac' });
    expect(() => s.loads(plain.sign('e30'))).toThrow('timestamp missing');
    expect(() => s.loads(plain.sign('e30.AQEBAQEBAQEB'))).toThrow('Malformed timestamp');
    expect(() => s.loads(plain.sign('e30.!!'))).toThrow('Malformed timestamp');
  });

  it('undecodable payloads under a valid signature are BadPayload, not BadSignature', () => {
    const raw = new TimestampSigner('test key', { salt: 'cookie-session', keyDerivation: 'hmac', now: () => 1700000000 });
    for (const payload of ['!!!', '.bm90IHpsaWI', 'eyJ1bnRlcm1pbmF0ZWQiOiA', 'eyJrIjoi__4ifQ']) {
      const error = (() => { try { s.loads(raw.sign(payload)); } catch (e) { return e; } return null; })();
      expect(error).toBeInstanceOf(BadPayload);
      expect(error).not.toBeInstanceOf(BadSignature);
    }
  });

  it('a zlib bomb is refused quickly with BadPayload', () => {
    const bomb = `.${deflateSync(Buffer.alloc(20 * 1024 * 1024)).toString('base64url')}`;
    const raw = new TimestampSigner('test key', { salt: 'cookie-session', keyDerivation: 'hmac', now: () => 1700000000 });
    const started = process.hrtime.bigint();
    expect(() => s.loads(raw.sign(bomb))).toThrow(BadPayload);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });

  it('trailing bytes after the zlib stream are ignored, as Python does', () => {
    const raw = new TimestampSigner('test key', { salt: 'cookie-session', keyDerivation: 'hmac', now: () => 1700000000 });
    const body = Buffer.concat([deflateSync(Buffer.from('{"a":1}')), Buffer.from('junk')]);
    expect(s.loads(raw.sign(`.${body.toString('base64url')}`))).toEqual({ a: 1 });
  });
});

describe('keys, derivations and digests', () => {
  it('the last key signs; every key verifies; a retired key does not', () => {
    const rotated = new URLSafeTimedSerializer(['old', 'new']);
    const onlyNew = new URLSafeTimedSerializer('new');
    const onlyOld = new URLSafeTimedSerializer('old');
    expect(onlyNew.loads(rotated.dumps({ a: 1 }))).toEqual({ a: 1 });
    expect(rotated.loads(onlyOld.dumps({ b: 2 }))).toEqual({ b: 2 });
    expect(() => onlyNew.loads(onlyOld.dumps({ b: 2 }))).toThrow(BadTimeSignature);
  });

  it('each key derivation and digest gives its own signature', () => {
    const signatures = new Set<string>();
    for (const keyDerivation of ['hmac', 'concat', 'django-concat', 'none'] as const) {
      for (const digestMethod of ['sha1', 'sha256', 'sha512'] as const) {
        const signer = new Signer('k', { keyDerivation, digestMethod, salt: 's' });
        const signed = signer.sign('value');
        expect(signer.unsign(signed)).toBe('value');
        signatures.add(signed);
      }
    }
    expect(signatures.size).toBe(12);
  });

  it('rejects a separator from the base64 alphabet', () => {
    expect(() => new Signer('k', { sep: 'a' })).toThrow(TypeError);
  });

  it('signature checks are constant time and fail cleanly on wrong lengths', () => {
    const signer = new Signer('k');
    const signed = signer.sign('value');
    const sig = signed.split('.')[1]!;
    const wrongSameLength = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(signer.verifySignature('value', wrongSameLength)).toBe(false);
    expect(signer.verifySignature('value', sig.slice(0, -4))).toBe(false);
    expect(signer.verifySignature('value', `${sig}AAAA`)).toBe(false);
    expect(() => signer.unsign(`value.${wrongSameLength}`)).toThrow(BadSignature);
  });
});

describe('properties (fast-check, fixed seed)', () => {
  it("the reusable deflater writes exactly pako.deflate's bytes, call after call", () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ maxLength: 2000 }).map((text) => Buffer.from(text.repeat(3))),
      fc.array(fc.constantFrom('{"a":', '1,', '"sku":"SKU-', '7"}', ' '), { maxLength: 4000 }).map((parts) => Buffer.from(parts.join(''))),
    );
    fc.assert(fc.property(fc.array(inputs, { minLength: 2, maxLength: 4 }), (batch) => {
      for (const input of batch) expect(deflate(input).equals(Buffer.from(pako.deflate(input)))).toBe(true);
    }), { seed: 20261122, numRuns: 300 });
  });


  const s = new URLSafeTimedSerializer(['a', 'b'], { salt: 'cookie-session', keyDerivation: 'hmac' });

  it('loads(dumps(x)) == x for JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(s.loads(s.dumps(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }), { seed: 20261122, numRuns: 500 });
  });

  it('arbitrary strings and mutated cookies only ever throw BadData subclasses', () => {
    const valid = s.dumps({ user: 'alice', cart: Array.from({ length: 30 }, (_, i) => i) });
    const mutated = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string(),
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
      fc.nat({ max: valid.length }).map((i) => `${valid.slice(0, i)}.${valid.slice(i)}`),
    );
    fc.assert(fc.property(mutated, (input) => {
      try {
        s.loads(input, { maxAge: 60 });
      } catch (error) {
        expect(error).toBeInstanceOf(BadData);
      }
    }), { seed: 20261122, numRuns: 2000 });
  });
});
