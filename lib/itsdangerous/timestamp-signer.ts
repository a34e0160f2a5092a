import { base64UrlDecode, base64UrlEncode, bytesToInt, intToBytes } from './encoding.js';
import { BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
import type { SecretKey } from './key-derivation.js';
import { Signer, type SignerOptions } from './signer.js';

export interface TimestampSignerOptions extends SignerOptions {
  /** The clock, in Unix seconds (fractions are floored). @default the system clock */
  now?: () => number;
}

export interface UnsignOptions {
  /**
   * Seconds a signature stays valid: `age == maxAge` is still valid, a timestamp in the future is
   * {@link SignatureExpired}. Omitted or `null`: no age check.
   */
  maxAge?: number | null;
}

/** A verified value and when it was signed. */
export interface TimestampedValue<T> {
  value: T;
  timestamp: Date;
}

/**
 * The last second Python's `datetime` can represent (9999-12-31T23:59:59Z). itsdangerous turns
 * later timestamps into "Malformed timestamp" (bad signature) or an uncaught `ValueError` (valid
 * signature); we make both "Malformed timestamp".
 */
const MAX_TIMESTAMP = 253_402_300_799;

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

  /** `value + sep + base64url(timestamp) + sep + signature`. */
  override sign(value: string | Buffer): string {
    const text = typeof value === 'string' ? value : value.toString('utf8');
    return super.sign(`${text}${this.sep}${base64UrlEncode(intToBytes(this.getTimestamp()))}`);
  }

  /**
   * Verifies the signature, then the age. Throws {@link BadSignature} (no separator at all),
   * {@link BadTimeSignature} (bad signature, missing or malformed timestamp) or
   * {@link SignatureExpired}.
   */
  override unsign(signedValue: string | Buffer, options?: UnsignOptions & { returnTimestamp?: false }): string;
  override unsign(
    signedValue: string | Buffer,
    options: UnsignOptions & { returnTimestamp: true },
  ): TimestampedValue<string>;
  override unsign(
    signedValue: string | Buffer,
    options?: UnsignOptions & { returnTimestamp?: boolean },
  ): string | TimestampedValue<string>;
  override unsign(
    signedValue: string | Buffer,
    options: UnsignOptions & { returnTimestamp?: boolean } = {},
  ): string | TimestampedValue<string> {
    const result = this.unsignWithTimestamp(signedValue, options);
    return options.returnTimestamp ? result : result.value;
  }

  /** {@link unsign} that also returns when the value was signed. */
  unsignWithTimestamp(signedValue: string | Buffer, options: UnsignOptions = {}): TimestampedValue<string> {
    // The checks of itsdangerous' TimestampSigner.unsign, in its order.
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
    const payload = (): Buffer => Buffer.from(value, 'utf8');
    const timestamp = readTimestamp(result.slice(index + this.sep.length));

    if (signatureError) {
      let dateSigned: Date | null = null;
      if (timestamp !== null) {
        dateSigned = this.dateFor(timestamp);
        if (dateSigned === null) throw new BadTimeSignature('Malformed timestamp', payload());
      }
      throw new BadTimeSignature(signatureError.message, payload(), dateSigned);
    }

    // A valid signature over a bad timestamp: only a key holder can make one, but it is unusable.
    const dateSigned = timestamp === null ? null : this.dateFor(timestamp);
    if (dateSigned === null) throw new BadTimeSignature('Malformed timestamp', payload());

    const maxAge = options.maxAge;
    if (maxAge != null) {
      // dateFor() accepted it, so the timestamp is a safe integer.
      const age = this.getTimestamp() - Number(timestamp);
      if (age > maxAge) throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`, payload(), dateSigned);
      if (age < 0) throw new SignatureExpired(`Signature age ${age} < 0 seconds`, payload(), dateSigned);
    }
    return { value, timestamp: dateSigned };
  }

  /** `true` if {@link unsign} would succeed with these options. */
  override validate(signedValue: string | Buffer, options: UnsignOptions = {}): boolean {
    try {
      this.unsignWithTimestamp(signedValue, options);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }

  /** `null` where Python's `datetime` would overflow. */
  private dateFor(timestamp: number | bigint): Date | null {
    if (typeof timestamp === 'bigint' || timestamp > MAX_TIMESTAMP) return null;
    return this.timestampToDate(timestamp);
  }
}

/** `null` if the segment is not canonical base64url or holds more than 8 bytes. */
function readTimestamp(segment: string): number | bigint | null {
  try {
    return bytesToInt(base64UrlDecode(segment));
  } catch {
    return null;
  }
}
