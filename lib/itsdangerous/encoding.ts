import { BadData } from './errors.js';

/** URL-safe base64 without padding, as itsdangerous writes every segment. */
export function base64UrlEncode(data: Buffer | Uint8Array | string): string {
  return (
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Strict, canonical URL-safe base64. Python's decoder is lenient (it skips junk, accepts `=` and
 * ignores unused bits); Flask never writes such text, so we reject it rather than accept
 * several spellings of one signature.
 */
export function base64UrlDecode(text: string): Buffer {
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL.test(text)) throw new BadData('Invalid base64-encoded data');
  // Canonical means the bits past the last whole byte are zero: the low 4 bits of the last
  // character after 2 (of 4), the low 2 bits after 3.
  if (tail !== 0 && (sextet(text.charCodeAt(text.length - 1)) & (tail === 2 ? 0x0f : 0x03)) !== 0) {
    throw new BadData('Invalid base64-encoded data');
  }
  return Buffer.from(text, 'base64url');
}

/** The 6-bit value of a base64url character already known to be in the alphabet. */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // A-Z, _
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return 62; // -
}

const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * Big-endian bytes with leading zero bytes stripped (`0` is empty), as itsdangerous' `int_to_bytes`:
 * any integer from 0 to 2^64 − 1 (a `bigint` past 2^53 − 1).
 */
export function intToBytes(value: number | bigint): Buffer {
  if (typeof value === 'bigint') return bigIntToBytes(value);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`cannot encode ${value} as an unsigned 64-bit integer`);
  let length = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) length += 1;
  const bytes = Buffer.allocUnsafe(length);
  for (let i = length - 1, rest = value; i >= 0; i -= 1, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

function bigIntToBytes(value: bigint): Buffer {
  if (value < 0n || value > MAX_UINT64) throw new RangeError(`cannot encode ${value} as an unsigned 64-bit integer`);
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  let start = 0;
  while (start < 8 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

/** The inverse of {@link intToBytes}; more than 8 bytes is an error, past 2^53 a `bigint`. */
export function bytesToInt(bytes: Uint8Array): number | bigint {
  if (bytes.length > 8) throw new BadData('integer longer than 8 bytes');
  if (bytes.length <= 6) {
    // Up to 48 bits: exact in a double, no BigInt needed (every timestamp until year 8.9 million).
    let small = 0;
    for (const byte of bytes) small = small * 256 + byte;
    return small;
  }
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
