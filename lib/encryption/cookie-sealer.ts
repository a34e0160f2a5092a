import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import { deflateRaw, inflateRaw, InflateLimitExceeded } from '../zlib/compression.js';
import { base64UrlDecode } from '../itsdangerous/encoding.js';
import { UnsealError } from './unseal-error.js';

/** A secret key; strings are UTF-8 encoded. */
export type SealingKey = string | Buffer;

export interface CookieSealerOptions {
  /**
   * HKDF's `info`: what the derived keys are for. Two sealers with the same secret but different
   * purposes cannot open each other's values. @default {@link DEFAULT_SEALING_PURPOSE}
   */
  purpose?: string;
  /**
   * Payloads of at least this many bytes are deflated (and kept deflated only when that is
   * shorter); smaller ones are sealed as they are, without a deflate attempt. @default 128
   */
  compressionThreshold?: number;
  /** Largest payload, in bytes after inflating, that `open` accepts. @default 262144 (256 KiB) */
  maxPayloadSize?: number;
}

/** The HKDF label of the session cookie keys: never the label of anything else derived from `SECRET_KEY`. */
export const DEFAULT_SEALING_PURPOSE = 'nest-flask-session session cookie encryption';

/** The text every version-1 value starts with. */
const PREFIX = 'v1.';
/**
 * HKDF's salt names the format version, so every version has keys of its own: a value relabelled
 * as another version never authenticates (this binds the prefix without additional data).
 */
const KEY_SALT = Buffer.from('nest-flask-session sealed cookie v1 aes-256-gcm', 'latin1');
const CIPHER = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Inside the ciphertext: a flags byte, then the issue time as a 48-bit big-endian count of seconds. */
const HEADER_BYTES = 7;
const FLAG_DEFLATED = 0x01;
const VERSIONED = /^v(\d{1,3})\./;
const DEFAULT_COMPRESSION_THRESHOLD = 128;
const DEFAULT_MAX_PAYLOAD_SIZE = 256 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Nonces come from the operating system's CSPRNG in blocks, as `crypto.randomUUID()` buffers its
 * randomness: one `randomFillSync` per 512 seals instead of a 2 µs call per seal. Each nonce is
 * handed out once.
 */
class NoncePool {
  private readonly pool = Buffer.alloc(NONCE_BYTES * 512);
  private next = this.pool.length;

  take(): Buffer {
    if (this.next === this.pool.length) {
      randomFillSync(this.pool);
      this.next = 0;
    }
    const nonce = this.pool.subarray(this.next, this.next + NONCE_BYTES);
    this.next += NONCE_BYTES;
    return nonce;
  }
}

const nonces = new NoncePool();

function toBytes(key: SealingKey): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

/**
 * Seals text into a cookie value that is confidential and authenticated, and opens it again:
 * AES-256-GCM with a random 96-bit nonce per value and keys derived by HKDF-SHA256 from the
 * secret keys. Version 1 of the format:
 *
 * ```text
 * value      = "v1." base64url( nonce[12] || ciphertext || tag[16] )      (no padding)
 * plaintext  = flags[1] || issued_at[6] || payload
 * flags      = 0x01 when payload is raw-deflated (RFC 1951), 0x00 otherwise; other bits are 0
 * issued_at  = Unix time in seconds, unsigned 48-bit big-endian
 * payload    = the serialised session (UTF-8 tagged JSON)
 * key        = HKDF-SHA256(ikm = secret key, salt = "nest-flask-session sealed cookie v1 aes-256-gcm",
 *                          info = purpose, length = 32)
 * ```
 *
 * The first key seals; every key opens (key rotation: the new key first, old ones after).
 */
export class CookieSealer {
  readonly compressionThreshold: number;
  readonly maxPayloadSize: number;
  private readonly keys: KeyObject[];

  /** @param secretKeys the sealing key first, then the keys that still open (most recent first). */
  constructor(secretKeys: readonly SealingKey[], options: CookieSealerOptions = {}) {
    if (secretKeys.length === 0) throw new TypeError('CookieSealer needs at least one secret key');
    const purpose = options.purpose ?? DEFAULT_SEALING_PURPOSE;
    this.keys = secretKeys.map((key) => {
      const secret = toBytes(key);
      if (secret.length === 0) throw new TypeError('CookieSealer refuses an empty secret key');
      return createSecretKey(Buffer.from(hkdfSync('sha256', secret, KEY_SALT, purpose, 32)));
    });
    this.compressionThreshold = options.compressionThreshold ?? DEFAULT_COMPRESSION_THRESHOLD;
    this.maxPayloadSize = options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE;
    // Infinity turns compression off (see README, Encrypted cookie sessions: threat model).
    if (
      !(this.compressionThreshold === Infinity || Number.isSafeInteger(this.compressionThreshold)) ||
      this.compressionThreshold < 0
    ) {
      throw new RangeError(`compressionThreshold must be a number of bytes, got ${this.compressionThreshold}`);
    }
    if (!Number.isSafeInteger(this.maxPayloadSize) || this.maxPayloadSize < 1) {
      throw new RangeError(`maxPayloadSize must be a positive number of bytes, got ${this.maxPayloadSize}`);
    }
  }

  /** Seals `payload` with the first key, stamped with `issuedAt` (Unix seconds, now by default). */
  seal(payload: string, issuedAt: number = Math.floor(Date.now() / 1000)): string {
    let flags = 0;
    let plaintext: Buffer;
    const length = Buffer.byteLength(payload, 'utf8');
    const deflated = length >= this.compressionThreshold ? deflateRaw(Buffer.from(payload, 'utf8')) : null;
    if (deflated && deflated.length < length) {
      flags = FLAG_DEFLATED;
      plaintext = Buffer.allocUnsafe(HEADER_BYTES + deflated.length);
      deflated.copy(plaintext, HEADER_BYTES);
    } else {
      plaintext = Buffer.allocUnsafe(HEADER_BYTES + length);
      plaintext.write(payload, HEADER_BYTES, 'utf8');
    }
    plaintext[0] = flags;
    plaintext.writeUIntBE(issuedAt, 1, 6);
    // One buffer for the value: nonce, ciphertext (as long as the plaintext), tag.
    const sealed = Buffer.allocUnsafe(NONCE_BYTES + plaintext.length + TAG_BYTES);
    const nonce = nonces.take();
    nonce.copy(sealed, 0);
    const cipher = createCipheriv(CIPHER, this.keys[0]!, nonce, { authTagLength: TAG_BYTES });
    cipher.update(plaintext).copy(sealed, NONCE_BYTES);
    cipher.final();
    cipher.getAuthTag().copy(sealed, NONCE_BYTES + plaintext.length);
    return PREFIX + sealed.toString('base64url');
  }

  /**
   * The payload of a sealed value. `maxAge` (seconds) rejects values issued longer ago, or in the
   * future, as itsdangerous does; null skips the age check.
   *
   * @throws {@link UnsealError} saying why the value does not open.
   */
  open(value: string, maxAge: number | null, now: number = Math.floor(Date.now() / 1000)): string {
    return this.openWithIssueTime(value, maxAge, now).payload;
  }

  /** {@link open} that also returns when the value was sealed (Unix seconds). */
  openWithIssueTime(
    value: string,
    maxAge: number | null,
    now: number = Math.floor(Date.now() / 1000),
  ): { payload: string; issuedAt: number } {
    const sealed = this.decode(value);
    const plaintext = this.decrypt(sealed);
    const flags = plaintext[0]!;
    if ((flags & ~FLAG_DEFLATED) !== 0) throw new UnsealError('payload', 'its sealed header has unknown flags');
    const issuedAt = plaintext.readUIntBE(1, 6);
    if (maxAge !== null) {
      const age = now - issuedAt;
      if (age > maxAge)
        throw new UnsealError('expired', `it was issued ${age} s ago, more than the ${maxAge} s a session lives`);
      if (age < 0) throw new UnsealError('expired', `it claims to be issued ${-age} s in the future`);
    }
    let body = plaintext.subarray(HEADER_BYTES);
    if (flags & FLAG_DEFLATED) {
      try {
        body = inflateRaw(body, this.maxPayloadSize);
      } catch (error) {
        const tooLarge = error instanceof InflateLimitExceeded;
        throw new UnsealError(
          'payload',
          tooLarge ? `its payload inflates past ${this.maxPayloadSize} bytes` : 'its payload does not inflate',
          { cause: error },
        );
      }
    } else if (body.length > this.maxPayloadSize) {
      throw new UnsealError('payload', `its payload is larger than ${this.maxPayloadSize} bytes`);
    }
    try {
      return { payload: utf8.decode(body), issuedAt };
    } catch (error) {
      throw new UnsealError('payload', 'its payload is not UTF-8', { cause: error });
    }
  }

  private decode(value: string): Buffer {
    if (!value.startsWith(PREFIX)) {
      const version = VERSIONED.exec(value);
      if (version)
        throw new UnsealError('version', `its format version v${version[1]} is not one this release reads (v1)`);
      throw new UnsealError('format', 'it is not an encrypted session value (no "v1." prefix)');
    }
    let sealed: Buffer;
    try {
      sealed = base64UrlDecode(value.slice(PREFIX.length));
    } catch (error) {
      throw new UnsealError('encoding', 'it is not base64url after its "v1." prefix (cut or altered)', {
        cause: error,
      });
    }
    if (sealed.length < NONCE_BYTES + HEADER_BYTES + TAG_BYTES)
      throw new UnsealError('truncated', 'it is too short to hold a sealed session (truncated)');
    return sealed;
  }

  private decrypt(sealed: Buffer): Buffer {
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const ciphertext = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    for (const key of this.keys) {
      const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      const plaintext = decipher.update(ciphertext);
      try {
        decipher.final();
        return plaintext;
      } catch {
        // Not this key (or not authentic): try the next one.
      }
    }
    throw new UnsealError(
      'authentication',
      'it does not authenticate under SECRET_KEY or any of SECRET_KEY_FALLBACKS (tampered, cut short, or sealed with another key)',
    );
  }
}
