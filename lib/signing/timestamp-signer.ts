import { base64UrlDecode, base64UrlEncode, bytesToInt, intToBytes } from './encoding.js';
import { BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
import type { SecretKey } from './key-derivation.js';
import { Signer, type SignerOptions } from './signer.js';

export interface TimestampSignerOptions extends SignerOptions {
  /** The clock, in Unix seconds (fractions are floored). @default the system clock */
  now?: () => number;
}

export interface UnsignOptions {
  /** Seconds a signature stays valid; `age == maxAge` is still valid, a future date is not. */
  maxAge?: number | null;
}

/** A verified value and when it was signed. */
export interface TimestampedValue<T> {
  value: T;
  timestamp: Date;
}

const systemClock = (): number => Date.now() / 1000;

/** Signs values together with the time of signing (itsdangerous' `TimestampSigner`). */
export class TimestampSigner extends Signer {
  private readonly now: () => number;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: TimestampSignerOptions = {}) {
    super(secretKeys, options);
    this.now = options.now ?? systemClock;
  }

  /** The current time in whole Unix seconds. */
  getTimestamp(): number {
    return Math.floor(this.now());
  }

  timestampToDate(timestamp: number): Date {
    return new Date(timestamp * 1000);
  }

  override sign(value: string | Buffer): string {
    const text = typeof value === 'string' ? value : value.toString('utf8');
    const timestamp = base64UrlEncode(intToBytes(this.getTimestamp()));
    return super.sign(`${text}${this.sep}${timestamp}`);
  }

  override unsign(signedValue: string | Buffer, options: UnsignOptions = {}): string {
    return this.unsignWithTimestamp(signedValue, options).value;
  }

  /** Like {@link unsign}, also returning when the value was signed. */
  unsignWithTimestamp(signedValue: string | Buffer, options: UnsignOptions = {}): TimestampedValue<string> {
    let result: string;
    let signatureError: BadSignature | null = null;
    try {
      result = super.unsign(signedValue);
    } catch (error) {
      if (!(error instanceof BadSignature)) throw error;
      signatureError = error;
      result = error.payload?.toString('utf8') ?? '';
    }

    const index = result.lastIndexOf(this.sep);
    if (index < 0) {
      if (signatureError) throw signatureError;
      throw new BadTimeSignature('timestamp missing', Buffer.from(result, 'utf8'));
    }
    const value = result.slice(0, index);
    const timestamp = this.readTimestamp(result.slice(index + this.sep.length));

    if (signatureError) {
      const dateSigned = timestamp === null ? null : this.dateOrNull(timestamp);
      throw new BadTimeSignature(signatureError.message, Buffer.from(value, 'utf8'), dateSigned);
    }
    // A valid signature over a malformed timestamp: only a key holder made it, but it is still unusable.
    if (timestamp === null || typeof timestamp === 'bigint') {
      throw new BadTimeSignature('Malformed timestamp', Buffer.from(value, 'utf8'));
    }

    const dateSigned = this.timestampToDate(timestamp);
    if (options.maxAge != null) {
      const age = this.getTimestamp() - timestamp;
      if (age > options.maxAge) {
        throw new SignatureExpired(`Signature age ${age} > ${options.maxAge} seconds`, Buffer.from(value, 'utf8'), dateSigned);
      }
      if (age < 0) {
        throw new SignatureExpired(`Signature age ${age} < 0 seconds`, Buffer.from(value, 'utf8'), dateSigned);
      }
    }
    return { value, timestamp: dateSigned };
  }

  override validate(signedValue: string | Buffer, options: UnsignOptions = {}): boolean {
    try {
      this.unsign(signedValue, options);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }

  private readTimestamp(segment: string): number | bigint | null {
    try {
      return bytesToInt(base64UrlDecode(segment));
    } catch {
      return null;
    }
  }

  private dateOrNull(timestamp: number | bigint): Date | null {
    if (typeof timestamp === 'bigint') return null;
    const date = this.timestampToDate(timestamp);
    return Number.isNaN(date.getTime()) ? null : date;
  }
}
