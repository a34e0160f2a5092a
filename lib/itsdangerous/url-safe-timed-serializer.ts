import type { SecretKey } from './key-derivation.js';
import { jsonSerializer, type TextSerializer } from './text-serializer.js';
import { TimedSerializer, type TimedSerializerOptions } from './timed-serializer.js';
import type { TimestampSigner, TimestampSignerOptions } from './timestamp-signer.js';
import { URLSafePayload, type URLSafePayloadOptions } from './url-safe-payload.js';

export interface URLSafeTimedSerializerOptions<
  S extends TimestampSigner = TimestampSigner,
  O extends TimestampSignerOptions = TimestampSignerOptions,
>
  extends TimedSerializerOptions<S, O>, URLSafePayloadOptions {}

/**
 * itsdangerous' `URLSafeTimedSerializer`, the format of Flask's session cookie: serialises,
 * compresses when that saves at least two bytes, base64url-encodes and signs with a timestamp.
 * `loads` reverses it and checks the age.
 */
export class URLSafeTimedSerializer<
  S extends TimestampSigner = TimestampSigner,
  O extends TimestampSignerOptions = TimestampSignerOptions,
> extends TimedSerializer<S, O> {
  static override defaultSerializer: TextSerializer = jsonSerializer;

  private readonly payload: URLSafePayload;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: URLSafeTimedSerializerOptions<S, O> = {}) {
    super(secretKeys, options);
    this.payload = new URLSafePayload(options);
  }

  get maxPayloadSize(): number {
    return this.payload.maxPayloadSize;
  }

  override dumpPayload(value: unknown): string {
    return this.payload.encode(super.dumpPayload(value));
  }

  override loadPayload(payload: string | Buffer, serializer?: TextSerializer): unknown {
    return super.loadPayload(this.payload.decode(payload), serializer);
  }
}
