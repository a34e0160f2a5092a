import { constants as bufferConstants } from 'node:buffer';
import { deflate, inflate, InflateLimitExceeded } from '../zlib/compression.js';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { BadPayload } from './errors.js';

export interface URLSafePayloadOptions {
  /**
   * Largest payload, in bytes after decompression, that `loads` accepts; more is
   * {@link BadPayload}. Not part of itsdangerous: it bounds what a forged-but-signed or
   * leaked-key value can make us inflate. @default 262144 (256 KiB)
   */
  maxPayloadSize?: number;
}

const DEFAULT_MAX_PAYLOAD_SIZE = 256 * 1024;

/**
 * itsdangerous' `URLSafeSerializerMixin` payload: the serialised text, zlib-compressed when that
 * saves at least two bytes (then prefixed with `.`), in base64url.
 */
export class URLSafePayload {
  readonly maxPayloadSize: number;

  constructor(options: URLSafePayloadOptions = {}) {
    this.maxPayloadSize = options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE;
    if (
      !Number.isSafeInteger(this.maxPayloadSize) ||
      this.maxPayloadSize < 1 ||
      this.maxPayloadSize > bufferConstants.MAX_LENGTH
    ) {
      throw new RangeError(`maxPayloadSize must be a positive integer number of bytes, got ${this.maxPayloadSize}`);
    }
  }

  encode(text: string): string {
    const json = Buffer.from(text, 'utf8');
    const compressed = deflate(json);
    if (compressed.length < json.length - 1) return `.${base64UrlEncode(compressed)}`;
    return base64UrlEncode(json);
  }

  /** The serialised bytes of a payload segment; a failure is {@link BadPayload}. */
  decode(payload: string | Buffer): Buffer {
    const text = typeof payload === 'string' ? payload : payload.toString('latin1');
    const compressed = text.startsWith('.');
    let bytes: Buffer;
    try {
      bytes = base64UrlDecode(compressed ? text.slice(1) : text);
    } catch (error) {
      throw new BadPayload('Could not base64 decode the payload because of an exception', error);
    }
    if (compressed) {
      try {
        return inflate(bytes, this.maxPayloadSize);
      } catch (error) {
        if (error instanceof InflateLimitExceeded) throw this.tooLarge(error);
        throw new BadPayload('Could not zlib decompress the payload before decoding the payload', error);
      }
    }
    if (bytes.length > this.maxPayloadSize) throw this.tooLarge(null);
    return bytes;
  }

  private tooLarge(cause: unknown): BadPayload {
    return new BadPayload(`The payload is larger than maxPayloadSize (${this.maxPayloadSize} bytes)`, cause);
  }
}
