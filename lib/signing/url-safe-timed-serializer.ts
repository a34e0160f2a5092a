import { constants as bufferConstants } from 'node:buffer';
import { deflate, inflate, InflateLimitExceeded } from './compression.js';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { BadPayload } from './errors.js';
import type { DigestMethod, KeyDerivation, SecretKey } from './key-derivation.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { TimestampSigner, type TimestampedValue, type UnsignOptions } from './timestamp-signer.js';

export interface URLSafeTimedSerializerOptions {
  /** @default 'itsdangerous' (Flask's sessions use 'cookie-session') */
  salt?: string | Buffer;
  /** @default jsonSerializer */
  serializer?: Serializer;
  /** @default 'sha1' */
  digestMethod?: DigestMethod;
  /** @default 'django-concat' (Flask's sessions use 'hmac') */
  keyDerivation?: KeyDerivation;
  /** The clock in Unix seconds. @default the system clock */
  now?: () => number;
  /**
   * Largest payload, in bytes after decompression, that `loads` accepts; more is
   * {@link BadPayload}. Not part of itsdangerous: it bounds what a forged-but-signed or
   * leaked-key cookie can make us inflate. @default 262144 (256 KiB)
   */
  maxPayloadSize?: number;
}

const DEFAULT_MAX_PAYLOAD_SIZE = 256 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * itsdangerous' `URLSafeTimedSerializer`: serialises, compresses when that saves at least two
 * bytes, base64url-encodes and signs with a timestamp. `loads` reverses it and checks the age.
 */
export class URLSafeTimedSerializer {
  /** Built once; reused by every `dumps`/`loads`. */
  readonly signer: TimestampSigner;
  readonly serializer: Serializer;
  readonly maxPayloadSize: number;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: URLSafeTimedSerializerOptions = {}) {
    this.serializer = options.serializer ?? jsonSerializer;
    this.maxPayloadSize = options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE;
    if (!Number.isSafeInteger(this.maxPayloadSize) || this.maxPayloadSize < 1 || this.maxPayloadSize > bufferConstants.MAX_LENGTH) {
      throw new RangeError(`maxPayloadSize must be a positive integer number of bytes, got ${this.maxPayloadSize}`);
    }
    this.signer = new TimestampSigner(secretKeys, {
      salt: options.salt ?? 'itsdangerous',
      keyDerivation: options.keyDerivation ?? 'django-concat',
      digestMethod: options.digestMethod ?? 'sha1',
      now: options.now,
    });
  }

  dumps(value: unknown): string {
    return this.signer.sign(this.dumpPayload(value));
  }

  /** Verifies and decodes; throws `BadSignature` (and subclasses) or `BadPayload`. */
  loads(signed: string, options: UnsignOptions = {}): unknown {
    return this.loadPayload(this.signer.unsignWithTimestamp(signed, options).value);
  }

  /** {@link loads} that also returns when the value was signed. */
  loadsWithTimestamp(signed: string, options: UnsignOptions = {}): TimestampedValue<unknown> {
    const { value, timestamp } = this.signer.unsignWithTimestamp(signed, options);
    return { value: this.loadPayload(value), timestamp };
  }

  /** The unsigned payload segment: `[.]base64url(json or zlib(json))`. */
  dumpPayload(value: unknown): string {
    const json = Buffer.from(this.serializer.dumps(value), 'utf8');
    const compressed = deflate(json);
    // itsdangerous compresses only when it saves at least two bytes.
    if (compressed.length < json.length - 1) return `.${base64UrlEncode(compressed)}`;
    return base64UrlEncode(json);
  }

  /** Decodes a payload segment whose signature has already been checked. */
  loadPayload(payload: string): unknown {
    const compressed = payload.startsWith('.');
    let bytes: Buffer;
    try {
      bytes = base64UrlDecode(compressed ? payload.slice(1) : payload);
    } catch (error) {
      throw new BadPayload('Could not base64 decode the payload because of an exception', error);
    }
    if (compressed) {
      try {
        bytes = inflate(bytes, this.maxPayloadSize);
      } catch (error) {
        if (error instanceof InflateLimitExceeded) throw this.tooLarge(error);
        throw new BadPayload('Could not zlib decompress the payload before decoding the payload', error);
      }
    } else if (bytes.length > this.maxPayloadSize) {
      throw this.tooLarge(null);
    }
    try {
      return this.serializer.loads(utf8.decode(bytes));
    } catch (error) {
      throw new BadPayload('Could not load the payload because an exception occurred on unserializing the data.', error);
    }
  }

  private tooLarge(cause: unknown): BadPayload {
    return new BadPayload(`The payload is larger than maxPayloadSize (${this.maxPayloadSize} bytes)`, cause);
  }
}
