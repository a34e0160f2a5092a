import { BadSignature, SignatureExpired } from './errors.js';
import type { SecretKey } from './key-derivation.js';
import {
  loadOptionsOf,
  Serializer,
  type LoadOptions,
  type Salt,
  type SerializerOptions,
  type TextSource,
} from './serializer.js';
import type { SignerClass } from './signer.js';
import {
  TimestampSigner,
  type TimestampedValue,
  type TimestampSignerOptions,
  type UnsignOptions,
} from './timestamp-signer.js';

export interface TimedSerializerOptions<
  S extends TimestampSigner = TimestampSigner,
  O extends TimestampSignerOptions = TimestampSignerOptions,
> extends SerializerOptions<S, O> {
  /** Shorthand for `signerOptions.now`: the clock in Unix seconds. @default the system clock */
  now?: () => number;
}

/** `loads` options of the timed serializers: the age limit and the salt. */
export interface TimedLoadOptions extends LoadOptions, UnsignOptions {}

/**
 * itsdangerous' `TimedSerializer`: a {@link Serializer} whose signatures carry the time of
 * signing, so `loads` can enforce a `maxAge`. Not URL-safe; see `URLSafeTimedSerializer`.
 */
export class TimedSerializer<
  S extends TimestampSigner = TimestampSigner,
  O extends TimestampSignerOptions = TimestampSignerOptions,
> extends Serializer<S, O> {
  static override defaultSigner: SignerClass<TimestampSigner, TimestampSignerOptions> = TimestampSigner;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: TimedSerializerOptions<S, O> = {}) {
    super(
      secretKeys,
      options.now === undefined
        ? options
        : { ...options, signerOptions: { ...options.signerOptions, now: options.now } as O },
    );
  }

  /**
   * Verifies (signature, then age) and decodes. An expired signature throws
   * {@link SignatureExpired} at once; other signature errors try the fallback signers first.
   */
  override loads(
    signed: string | Buffer,
    options?: Salt | (TimedLoadOptions & { returnTimestamp?: false }) | null,
  ): unknown;
  override loads(
    signed: string | Buffer,
    options: TimedLoadOptions & { returnTimestamp: true },
  ): TimestampedValue<unknown>;
  override loads(
    signed: string | Buffer,
    options?: Salt | (TimedLoadOptions & { returnTimestamp?: boolean }) | null,
  ): unknown;
  override loads(
    signed: string | Buffer,
    options?: Salt | (TimedLoadOptions & { returnTimestamp?: boolean }) | null,
  ): unknown {
    const resolved: TimedLoadOptions & { returnTimestamp?: boolean } = loadOptionsOf(options);
    const { value, timestamp } = this.unsignTimed(signed, resolved);
    const loaded = this.loadPayload(value);
    return resolved.returnTimestamp ? { value: loaded, timestamp } : loaded;
  }

  /** {@link loads} that also returns when the value was signed. */
  loadsWithTimestamp(signed: string | Buffer, options?: Salt | TimedLoadOptions | null): TimestampedValue<unknown> {
    const { value, timestamp } = this.unsignTimed(signed, loadOptionsOf(options));
    return { value: this.loadPayload(value), timestamp };
  }

  override load(source: TextSource, options?: Salt | TimedLoadOptions | null): unknown {
    return this.loads(source.read(), options);
  }

  override loadsUnsafe(signed: string | Buffer, options?: Salt | TimedLoadOptions | null): [boolean, unknown] {
    return super.loadsUnsafe(signed, options);
  }

  override loadUnsafe(source: TextSource, options?: Salt | TimedLoadOptions | null): [boolean, unknown] {
    return this.loadsUnsafe(source.read(), options);
  }

  private unsignTimed(signed: string | Buffer, options: TimedLoadOptions): TimestampedValue<string> {
    const unsigners = this.unsignersFor(options.salt ?? null);
    let lastError: BadSignature | undefined;
    for (let i = 0; i < unsigners.length; i += 1) {
      try {
        return unsigners[i]!.unsignWithTimestamp(signed, options);
      } catch (error) {
        if (error instanceof SignatureExpired || !(error instanceof BadSignature)) throw error;
        lastError = error;
      }
    }
    throw lastError!;
  }
}
