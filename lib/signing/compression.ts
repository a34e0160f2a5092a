import { inflateSync } from 'node:zlib';
import pako from 'pako';

/**
 * zlib (RFC 1950) at level 6 through pako 2, whose output equals CPython's `zlib.compress` byte
 * for byte; Node's bundled zlib (Chromium's fork) produces different, equally valid bytes.
 */
export function deflate(data: Uint8Array): Buffer {
  const out = pako.deflate(data);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Inflates at most `maxOutputLength` bytes (a few KB of cookie can otherwise inflate into
 * gigabytes). Node's inflate, unlike pako's, stops at the output cap instead of allocating it.
 */
export function inflate(data: Uint8Array, maxOutputLength: number): Buffer {
  return inflateSync(data, { maxOutputLength });
}
