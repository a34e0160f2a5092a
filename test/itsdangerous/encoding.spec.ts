/**
 * itsdangerous/encoding.py: URL-safe base64 (strict where Python is lenient, on purpose), integer
 * bytes, and itsdangerous' own tests/test_itsdangerous/test_encoding.py, ported.
 */
import fc from 'fast-check';
import {
  BadData,
  base64UrlDecode,
  base64UrlEncode,
  bytesToInt,
  intToBytes,
  Signer,
} from '../../lib/itsdangerous/index.js';

const SEED = 20261122;

describe('base64UrlEncode', () => {
  it('is URL-safe base64 without padding, for strings (UTF-8), Buffers and Uint8Array views', () => {
    expect(base64UrlEncode('')).toBe('');
    expect(base64UrlEncode('é')).toBe('w6k');
    expect(base64UrlEncode(Buffer.from([0xfb, 0xff]))).toBe('-_8');
    const backing = new Uint8Array([9, 0xfb, 0xff, 0xfe, 9]);
    expect(base64UrlEncode(backing.subarray(1, 4))).toBe('-__-');
  });
});

describe('base64UrlDecode: strict and canonical (a documented deviation from Python)', () => {
  it('decodes what base64UrlEncode writes, for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        expect(base64UrlDecode(base64UrlEncode(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  // Python's base64_decode accepts every one of these (it drops junk and non-ASCII, accepts
  // either alphabet and `=` padding, ignores unused bits). Flask never writes any of them, so
  // accepting them would only give one signature several spellings.
  it.each([
    ['padding', 'w6k='],
    ['double padding', 'AA=='],
    ['standard alphabet +', '+_8'],
    ['standard alphabet /', '-/8'],
    ['a space', 'w6 k'],
    ['junk punctuation', 'w6k!'],
    ['a non-ASCII character', 'w6é'],
    ['a newline', 'w6k\n'],
    ['impossible length (4n+1)', 'AAAAA'],
    ['non-zero unused bits (2 chars)', 'AB'],
    ['non-zero unused bits (3 chars)', 'AAB'],
    ['lone surrogate', 'w6\ud800'],
  ])('rejects %s with BadData("Invalid base64-encoded data")', (_label, text) => {
    expect(() => base64UrlDecode(text)).toThrow(BadData);
    expect(() => base64UrlDecode(text)).toThrow('Invalid base64-encoded data');
  });

  it('any string either decodes to bytes that re-encode to it, or throws BadData', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9_=+/-]{0,40}$/)),
        (text) => {
          let decoded: Buffer;
          try {
            decoded = base64UrlDecode(text);
          } catch (error) {
            expect(error).toBeInstanceOf(BadData);
            return;
          }
          expect(base64UrlEncode(decoded)).toBe(text);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('decodes the empty string to no bytes', () => {
    expect(base64UrlDecode('')).toHaveLength(0);
  });
});

describe('intToBytes / bytesToInt (itsdangerous int_to_bytes / bytes_to_int)', () => {
  it.each([
    [0, ''],
    [1, '01'],
    [255, 'ff'],
    [256, '0100'],
    [1700000000, '6553f100'],
    [4294979641, '0100003039'],
    [Number.MAX_SAFE_INTEGER, '1fffffffffffff'],
  ])('%d <-> %s (big-endian, leading zeros stripped, 0 is empty)', (value, hex) => {
    expect(intToBytes(value).toString('hex')).toBe(hex);
    expect(bytesToInt(Buffer.from(hex, 'hex'))).toBe(value);
  });

  it('refuses what Python struct.pack(">Q") cannot pack or a JS number cannot hold exactly', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expect(() => intToBytes(bad)).toThrow(RangeError);
  });

  it('reads leading zero bytes, and up to 8 bytes; past 2^53 as a bigint', () => {
    expect(bytesToInt(Buffer.from('000000006553f100', 'hex'))).toBe(1700000000);
    expect(bytesToInt(Buffer.from('20000000000000', 'hex'))).toBe(2n ** 53n);
    expect(bytesToInt(Buffer.from('ffffffffffffffff', 'hex'))).toBe(2n ** 64n - 1n);
  });

  it('more than 8 bytes is BadData', () => {
    expect(() => bytesToInt(Buffer.alloc(9, 1))).toThrow(BadData);
  });

  it('round-trips every safe non-negative integer', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(bytesToInt(intToBytes(n))).toBe(n);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('itsdangerous 2.2 tests/test_itsdangerous/test_encoding.py', () => {
  // want_bytes is Python's str-to-bytes step; every API here takes text as its UTF-8 bytes.
  it.each(['mañana', Buffer.from('tomorrow')])('test_want_bytes[%s]', (value) => {
    const bytes = Buffer.from(value);
    expect(base64UrlDecode(base64UrlEncode(value)).equals(bytes)).toBe(true);
    expect(new Signer('k').sign(value)).toBe(new Signer('k').sign(bytes));
  });

  it.each(['無限', Buffer.from('infinite')])('test_base64[%s]', (value) => {
    const encoded = base64UrlEncode(value);
    expect(typeof encoded).toBe('string');
    expect(base64UrlDecode(encoded).equals(Buffer.from(value))).toBe(true);
  });

  it('test_base64_bad', () => {
    expect(() => base64UrlDecode('12345')).toThrow(BadData);
  });

  it.each([
    [0, ''],
    [192, 'c0'],
    [18446744073709551615n, 'ffffffffffffffff'],
  ])('test_int_bytes[%s]', (value, expectHex) => {
    const encoded = intToBytes(value);
    expect(encoded.toString('hex')).toBe(expectHex);
    expect(bytesToInt(encoded)).toBe(value);
  });
});
