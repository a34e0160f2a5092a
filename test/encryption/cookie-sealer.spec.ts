/**
 * The encrypted cookie format, version 1 (README, "Encrypted cookies"): checked against an
 * independent implementation of the documented format with node:crypto, and for round trips,
 * nonce uniqueness, every tamper position, truncation, rotation, expiry and compression.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { CookieSealer, DEFAULT_SEALING_PURPOSE, UnsealError, type UnsealFailure } from '../../lib/encryption/index.js';
import { EncryptedCookieSessionInterface } from '../../lib/sessions/index.js';
import { createSessionConfig } from '../../lib/config/index.js';
import { Markup, Tuple, UUID } from '../../lib/tagged-json/index.js';

const NOW = 1700000000;
const LIFETIME = 31 * 86400;

/** The documented format, written out here with node:crypto alone. */
const spec = {
  key: (secret: string, purpose = DEFAULT_SEALING_PURPOSE, version = 'v1') =>
    Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(secret, 'utf8'),
        Buffer.from(`nest-flask-session sealed cookie ${version} aes-256-gcm`),
        purpose,
        32,
      ),
    ),
  seal(secret: string, plaintext: Buffer, { version = 'v1.', nonce = randomBytes(12) } = {}): string {
    const cipher = createCipheriv(
      'aes-256-gcm',
      spec.key(secret, DEFAULT_SEALING_PURPOSE, version.slice(0, -1)),
      nonce,
      { authTagLength: 16 },
    );
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return version + Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url');
  },
  open(secret: string, value: string): { flags: number; issuedAt: number; body: Buffer } {
    const sealed = Buffer.from(value.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', spec.key(secret), sealed.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(-16));
    const plaintext = Buffer.concat([decipher.update(sealed.subarray(12, -16)), decipher.final()]);
    return { flags: plaintext[0]!, issuedAt: plaintext.readUIntBE(1, 6), body: plaintext.subarray(7) };
  },
  plaintext: (flags: number, issuedAt: number, body: Buffer) => {
    const header = Buffer.alloc(7);
    header[0] = flags;
    header.writeUIntBE(issuedAt, 1, 6);
    return Buffer.concat([header, body]);
  },
};

function failure(run: () => unknown): UnsealFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsealError) return error.reason;
    throw error;
  }
  throw new Error('opened');
}

describe('CookieSealer format v1', () => {
  const sealer = new CookieSealer(['secret one']);

  it('compressionThreshold: Infinity turns compression off (the CRIME-style note in README)', () => {
    const payload = '{"b":"' + 'x'.repeat(2000) + '"}';
    const compressed = sealer.seal(payload, NOW);
    const plain = new CookieSealer(['secret one'], { compressionThreshold: Infinity }).seal(payload, NOW);
    expect(compressed.length).toBeLessThan(500);
    expect(plain.length).toBeGreaterThan(2000);
    expect(sealer.open(plain, LIFETIME, NOW)).toBe(payload);
    expect(() => new CookieSealer(['secret one'], { compressionThreshold: -1 })).toThrow(RangeError);
  });

  it('matches the documented format both ways', () => {
    const value = sealer.seal('{"a":1}', NOW);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(spec.open('secret one', value)).toEqual({ flags: 0, issuedAt: NOW, body: Buffer.from('{"a":1}') });
    const written = spec.seal(
      'secret one',
      spec.plaintext(1, NOW, deflateRawSync(Buffer.from('{"b":"' + 'x'.repeat(300) + '"}'))),
    );
    expect(sealer.open(written, LIFETIME, NOW)).toBe('{"b":"' + 'x'.repeat(300) + '"}');
  });

  it('the key is HKDF of the secret under its own purpose label, never the secret itself', () => {
    const value = sealer.seal('{}', NOW);
    expect(() => spec.open('secret one', value)).not.toThrow();
    const other = new CookieSealer(['secret one'], { purpose: 'another purpose' });
    expect(failure(() => other.open(value, LIFETIME, NOW))).toBe('authentication');
    const rawKey = Buffer.alloc(32);
    Buffer.from('secret one').copy(rawKey);
    const decipher = createDecipheriv('aes-256-gcm', rawKey, Buffer.from(value.slice(3), 'base64url').subarray(0, 12), {
      authTagLength: 16,
    });
    decipher.setAuthTag(Buffer.from(value.slice(3), 'base64url').subarray(-16));
    decipher.update(Buffer.from(value.slice(3), 'base64url').subarray(12, -16));
    expect(() => decipher.final()).toThrow();
  });

  it('hides the payload: no plaintext fragment survives in the value', () => {
    const secret = 'user=alice@example.com;role=admin';
    const value = sealer.seal(JSON.stringify({ secret }), NOW);
    const bytes = Buffer.from(value.slice(3), 'base64url');
    for (const fragment of ['alice', 'admin', 'secret']) {
      expect(value).not.toContain(fragment);
      expect(bytes.includes(Buffer.from(fragment))).toBe(false);
    }
  });

  it('a random nonce per value: 100,000 seals of the same payload, no nonce twice', () => {
    const nonces = new Set<string>();
    const values = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) {
      const value = sealer.seal('{"same":true}', NOW);
      values.add(value);
      nonces.add(Buffer.from(value.slice(3), 'base64url').subarray(0, 12).toString('hex'));
    }
    expect(nonces.size).toBe(100_000);
    expect(values.size).toBe(100_000);
  });

  it('every single-bit change at every byte position is rejected as not authentic', () => {
    const value = sealer.seal('{"user_id":42,"name":"alice"}', NOW);
    const bytes = Buffer.from(value.slice(3), 'base64url');
    let rejected = 0;
    for (let position = 0; position < bytes.length; position += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const tampered = Buffer.from(bytes);
        tampered[position]! ^= 1 << bit;
        expect(failure(() => sealer.open(`v1.${tampered.toString('base64url')}`, LIFETIME, NOW))).toBe(
          'authentication',
        );
        rejected += 1;
      }
    }
    expect(rejected).toBe(bytes.length * 8);
  });

  it('every character of the text changed, dropped or cut is rejected', () => {
    const value = sealer.seal('{"user_id":42}', NOW);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let i = 0; i < value.length; i += 1) {
      const swapped = alphabet[(alphabet.indexOf(value[i]!) + 1) % alphabet.length]!;
      expect(
        failure(() => sealer.open(value.slice(0, i) + swapped + value.slice(i + 1), LIFETIME, NOW)),
      ).not.toBeUndefined();
      expect(failure(() => sealer.open(value.slice(0, i) + value.slice(i + 1), LIFETIME, NOW))).not.toBeUndefined();
      expect(failure(() => sealer.open(value.slice(0, i), LIFETIME, NOW))).not.toBeUndefined();
    }
    expect(failure(() => sealer.open(`${value}A`, LIFETIME, NOW))).not.toBeUndefined();
    expect(sealer.open(value, LIFETIME, NOW)).toBe('{"user_id":42}');
  });

  it('says why: format, version, encoding, truncated, authentication', () => {
    const value = sealer.seal('{}', NOW);
    expect(failure(() => sealer.open('eyJhIjoxfQ.ZVPxAA.FDKVgqPmIWNvDD8SnblR4-PQdhk', LIFETIME, NOW))).toBe('format');
    expect(failure(() => sealer.open('v1.!!!', LIFETIME, NOW))).toBe('encoding');
    expect(failure(() => sealer.open(value.slice(0, -1), LIFETIME, NOW))).toMatch(/^(encoding|authentication)$/);
    expect(failure(() => sealer.open(`v2.${value.slice(3)}`, LIFETIME, NOW))).toBe('version');
    expect(failure(() => sealer.open(`v10.${value.slice(3)}`, LIFETIME, NOW))).toBe('version');
    expect(failure(() => sealer.open('v1.', LIFETIME, NOW))).toBe('truncated');
    expect(failure(() => sealer.open(`v1.${randomBytes(34).toString('base64url')}`, LIFETIME, NOW))).toBe('truncated');
    expect(failure(() => sealer.open(`v1.${randomBytes(35).toString('base64url')}`, LIFETIME, NOW))).toBe(
      'authentication',
    );
    expect(failure(() => new CookieSealer(['another secret']).open(value, LIFETIME, NOW))).toBe('authentication');
    // A value sealed as another version cannot be relabelled v1: every version has its own keys.
    expect(
      failure(() =>
        sealer.open(
          `v1.${spec.seal('secret one', spec.plaintext(0, NOW, Buffer.from('{}')), { version: 'v2.' }).slice(3)}`,
          LIFETIME,
          NOW,
        ),
      ),
    ).toBe('authentication');
  });

  it('messages never quote the value or its contents', () => {
    const value = sealer.seal('{"secret":"hunter2"}', NOW);
    const messages = [
      () => sealer.open(value.slice(0, -4), LIFETIME, NOW),
      () => sealer.open(`v7.${value.slice(3)}`, LIFETIME, NOW),
      () => sealer.open(value, 10, NOW + 11),
      () =>
        sealer.open(
          spec.seal('secret one', spec.plaintext(0, NOW, Buffer.from([0xff, 0x68, 0x75, 0x6e]))),
          LIFETIME,
          NOW,
        ),
    ].map((run) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    });
    for (const message of messages) {
      expect(message).not.toBe('');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain(value.slice(3, 20));
    }
  });

  it('rotation: the first key seals, every key opens, a removed key no longer opens', () => {
    const old = new CookieSealer(['old']);
    const rotated = new CookieSealer(['new', 'old']);
    const minted = old.seal('{"a":1}', NOW);
    expect(rotated.open(minted, LIFETIME, NOW)).toBe('{"a":1}');
    const resealed = rotated.seal('{"a":1}', NOW);
    expect(new CookieSealer(['new']).open(resealed, LIFETIME, NOW)).toBe('{"a":1}');
    expect(failure(() => old.open(resealed, LIFETIME, NOW))).toBe('authentication');
    expect(failure(() => new CookieSealer(['new']).open(minted, LIFETIME, NOW))).toBe('authentication');
    expect(() => new CookieSealer([])).toThrow(TypeError);
    expect(() => new CookieSealer(['new', ''])).toThrow(TypeError);
  });

  it('expiry: the sealed issue time, age == max age still opens, older or future values do not, null skips it', () => {
    const value = sealer.seal('{"a":1}', NOW);
    expect(sealer.open(value, 60, NOW + 60)).toBe('{"a":1}');
    expect(failure(() => sealer.open(value, 60, NOW + 61))).toBe('expired');
    expect(failure(() => sealer.open(value, 60, NOW - 1))).toBe('expired');
    expect(sealer.open(value, null, NOW + 10 * LIFETIME)).toBe('{"a":1}');
    // The issue time cannot be moved: it is inside the ciphertext.
    expect(spec.open('secret one', value).issuedAt).toBe(NOW);
  });

  it('compression: none below the threshold, kept only when shorter above it', () => {
    const small = JSON.stringify({ u: 'x'.repeat(100) });
    expect(small.length).toBeLessThan(128);
    expect(spec.open('secret one', sealer.seal(small, NOW)).flags).toBe(0);
    const compressible = JSON.stringify({ cart: Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 })) });
    const sealed = sealer.seal(compressible, NOW);
    expect(spec.open('secret one', sealed).flags).toBe(1);
    expect(sealed.length).toBeLessThan(
      new CookieSealer(['secret one'], { compressionThreshold: Number.MAX_SAFE_INTEGER }).seal(compressible, NOW)
        .length,
    );
    expect(sealer.open(sealed, LIFETIME, NOW)).toBe(compressible);
    // Random printable ASCII does not deflate shorter (fixed Huffman codes spend 8 bits on each).
    const PRINTABLE = [
      ...'!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~',
    ];
    const printable = Array.from({ length: 130 }, () => PRINTABLE[randomInt(PRINTABLE.length)]).join('');
    const random = JSON.stringify({ t: printable });
    expect(deflateRawSync(random).length).toBeGreaterThanOrEqual(random.length);
    const opened = spec.open('secret one', sealer.seal(random, NOW));
    expect(opened).toEqual({ flags: 0, issuedAt: NOW, body: Buffer.from(random) });
    const eager = new CookieSealer(['secret one'], { compressionThreshold: 0 });
    expect(eager.open(eager.seal('{}', NOW), LIFETIME, NOW)).toBe('{}');
    expect(() => new CookieSealer(['k'], { compressionThreshold: -1 })).toThrow(RangeError);
    expect(() => new CookieSealer(['k'], { maxPayloadSize: 0 })).toThrow(RangeError);
  });

  it('authentic but bad payloads: unknown flags, a bomb, bad deflate, bad UTF-8, too large', () => {
    const limited = new CookieSealer(['secret one'], { maxPayloadSize: 1024 });
    const cases: Buffer[] = [
      spec.plaintext(0x02, NOW, Buffer.from('{}')),
      spec.plaintext(1, NOW, deflateRawSync(Buffer.alloc(1024 * 1024, 0x61))),
      spec.plaintext(1, NOW, Buffer.from('not deflate')),
      spec.plaintext(0, NOW, Buffer.from([0xc3, 0x28])),
      spec.plaintext(0, NOW, Buffer.alloc(1025, 0x61)),
    ];
    for (const plaintext of cases)
      expect(failure(() => limited.open(spec.seal('secret one', plaintext), LIFETIME, NOW))).toBe('payload');
  });
});

describe('EncryptedCookieSessionInterface round trips every tagged type', () => {
  const iface = new EncryptedCookieSessionInterface();
  const config = createSessionConfig({ SECRET_KEY: 'round trip key' });

  it.each<[string, unknown]>([
    ['string (non-ASCII, astral)', 'h\u00e9llo \u2603 \u{1F600}'],
    ['integer', 42],
    ['float', 1.5],
    ['booleans and null', [true, false, null]],
    ['list', [1, 'two', [3]]],
    ['dict', { nested: { deep: [1, { x: 'y' }] } }],
    ['tuple', Tuple.from([1, 2, 3])],
    ['bytes', Buffer.from([0xff, 0x00, 0x68, 0x69])],
    ['Markup', new Markup('<b>hi</b>')],
    ['UUID', new UUID('12345678-1234-5678-1234-567812345678')],
    ['datetime', new Date(Date.UTC(2024, 0, 2, 3, 4, 5))],
    ['a dict that looks like a tag', { ' t': 'not-a-tuple' }],
    ['flashes', [Tuple.from(['message', 'Saved!'])]],
    ['a large compressible value', Array.from({ length: 200 }, (_, i) => `item ${i}`)],
  ])('%s', (_name, value) => {
    const sealed = iface.dumpCookieValue(config, { value, _permanent: true })!;
    const opened = iface.loadCookieValue(config, sealed) as Record<string, unknown>;
    expect(opened).toEqual({ value, _permanent: true });
    if (value !== null && typeof value === 'object')
      expect((opened.value as object).constructor).toBe((value as object).constructor);
  });
});
