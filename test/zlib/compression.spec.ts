/**
 * Python-exact zlib: deflate gives the bytes CPython's zlib.compress gives (level 6), checked
 * against Flask's compressed cookies and node:zlib; inflate is capped and reuses one stream.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import pako from 'pako';
import { base64UrlDecode } from '../../lib/itsdangerous/index.js';
import { deflate, inflate, InflateError, InflateLimitExceeded } from '../../lib/zlib/index.js';
import { flaskVectors } from '../support/flask-vectors.js';

const compressedMints = flaskVectors.filter((v) => v.mode === 'mint' && v.compressed);
const payloadBytes = (cookie: string) => base64UrlDecode(cookie.slice(1).split('.')[0]!);

describe('deflate: byte-identical to CPython zlib.compress (level 6, canonical zlib)', () => {
  it('pako reproduces every compressed Flask vector; node:zlib does not (measured)', () => {
    let nodeMismatches = 0;
    for (const v of compressedMints) {
      const json = Buffer.from(v.tagged!, 'utf8');
      const expected = payloadBytes(v.cookie);
      expect(deflate(json).equals(expected)).toBe(true);
      expect(Buffer.from(pako.deflate(json)).equals(expected)).toBe(true);
      if (!deflateSync(json).equals(expected)) nodeMismatches += 1;
    }
    // Measured on Node 20.20 (bundled zlib 1.3.1-e00f703, Chromium's fork): 13 of 18. The count
    // depends on Node's zlib, so only "some" is asserted; any mismatch rules node:zlib out.
    expect(compressedMints.length).toBe(18);
    expect(nodeMismatches).toBeGreaterThan(0);
  });

  it("the reusable deflater writes exactly pako.deflate's bytes, call after call", () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ maxLength: 2000 }).map((text) => Buffer.from(text.repeat(3))),
      fc
        .array(fc.constantFrom('{"a":', '1,', '"sku":"SKU-', '7"}', ' '), { maxLength: 4000 })
        .map((parts) => Buffer.from(parts.join(''))),
    );
    fc.assert(
      fc.property(fc.array(inputs, { minLength: 2, maxLength: 4 }), (batch) => {
        for (const input of batch) expect(deflate(input).equals(Buffer.from(pako.deflate(input)))).toBe(true);
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it('clears what the last input set even when the caller reuses its buffer afterwards', () => {
    const buffer = Buffer.from('{"_user_id":"4217","cart":[3,17],"csrf_token":"f2b6a1c9d03e4e7b9a55c8d1e7f04a3b"}');
    const sessions = [
      '{"cart":[3,17],"theme":"dark","_user_id":"4217"}',
      '{"n":1}',
      '{"csrf_token":"f2b6a1c9d03e4e7b9a55c8d1e7f04a3b","n":2}',
    ];
    for (const next of sessions) {
      expect(deflate(buffer).equals(Buffer.from(pako.deflate(buffer)))).toBe(true);
      buffer.fill(0x61); // the caller overwrites what we deflated
      const input = Buffer.from(next);
      expect(deflate(input).equals(Buffer.from(pako.deflate(input)))).toBe(true);
      buffer.write(next.padEnd(buffer.length, ' '));
    }
  });

  it('handles empty input and inputs larger than its initial output buffer', () => {
    expect(deflate(new Uint8Array(0)).equals(Buffer.from(pako.deflate(new Uint8Array(0))))).toBe(true);
    const random = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 24));
    expect(deflate(random).equals(Buffer.from(pako.deflate(random)))).toBe(true);
    expect(inflate(deflate(random), random.length).equals(random)).toBe(true);
  });
});

describe('inflate: capped', () => {
  const data = Buffer.from('{"a":"' + 'x'.repeat(1000) + '"}');
  const z = deflate(data);

  it('inflates up to and including the cap', () => {
    expect(inflate(z, data.length).equals(data)).toBe(true);
    expect(inflate(z, 1 << 20).equals(data)).toBe(true);
  });

  it('one byte over the cap is a RangeError', () => {
    expect(() => inflate(z, data.length - 1)).toThrow(InflateLimitExceeded);
    expect(() => inflate(z, data.length - 1)).toThrow(RangeError);
    expect(() => inflate(z, data.length - 1)).toThrow(`Decompressed data exceeds ${data.length - 1} bytes`);
  });

  it('a zlib bomb (10 MB of zeros in ~10 KB) stops at the cap without inflating it all', () => {
    const bomb = deflateSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(11_000);
    const started = process.hrtime.bigint();
    expect(() => inflate(bomb, 256 * 1024)).toThrow(InflateLimitExceeded);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  it('ignores bytes after the end of the zlib stream, as Python zlib.decompress does', () => {
    // /usr/bin/python3 -c 'import zlib; print(zlib.decompress(zlib.compress(b"{\"a\":1}") + b"junk"))' → b'{"a":1}'
    const withTrailer = Buffer.concat([deflate(Buffer.from('{"a":1}')), Buffer.from('junk')]);
    expect(inflate(withTrailer, 1024).toString()).toBe('{"a":1}');
  });

  it.each([
    ['truncated', z.subarray(0, -2)],
    ['a bad Adler-32', Buffer.concat([z.subarray(0, -1), Buffer.from([z[z.length - 1]! ^ 1])])],
    ['empty', Buffer.alloc(0)],
    ['gzip instead of zlib', Buffer.from(pako.gzip('x'))],
    ['raw deflate without zlib header', Buffer.from(pako.deflateRaw('x'))],
    ['not compressed at all', Buffer.from('this is not zlib data')],
  ])('%s data is a zlib error, not the size-cap RangeError', (_label, bad) => {
    let caught: unknown = null;
    try {
      inflate(bad, 1024);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InflateError);
    expect((caught as InflateError).code).toMatch(/^Z_(DATA|BUF)_ERROR$/);
    expect(caught).not.toBeInstanceOf(RangeError);
  });
});

describe('inflate: one reused stream', () => {
  it('inflates call after call, whatever the previous call did (a good stream, an error, a bomb)', () => {
    const samples = [
      Buffer.from('{"a":1}'),
      Buffer.from(JSON.stringify({ cart: Array.from({ length: 300 }, (_, i) => ({ sku: i })) })),
      randomBytes(40_000),
    ];
    const bomb = deflateSync(Buffer.alloc(1024 * 1024));
    for (let round = 0; round < 3; round += 1) {
      for (const sample of samples) {
        expect(inflate(deflate(sample), 1 << 20).equals(sample)).toBe(true);
        expect(() => inflate(deflate(sample).subarray(0, -3), 1 << 20)).toThrow(InflateError);
        expect(() => inflate(bomb, 64 * 1024)).toThrow(InflateLimitExceeded);
      }
    }
  });

  it('output larger than its 16 KB chunk is returned whole, up to the cap', () => {
    const data = randomBytes(50_000);
    expect(inflate(deflateSync(data), 50_000).equals(data)).toBe(true);
    expect(() => inflate(deflateSync(data), 49_999)).toThrow(InflateLimitExceeded);
  });
});
