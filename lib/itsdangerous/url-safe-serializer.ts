import type { SecretKey } from './key-derivation.js';
import { Serializer, type SerializerOptions } from './serializer.js';
import type { Signer, SignerOptions } from './signer.js';
import { jsonSerializer, type TextSerializer } from './text-serializer.js';
import { URLSafePayload, type URLSafePayloadOptions } from './url-safe-payload.js';

export interface URLSafeSerializerOptions<S extends Signer = Signer, O extends SignerOptions = SignerOptions>
  extends SerializerOptions<S, O>, URLSafePayloadOptions {}

/** itsdangerous' `URLSafeSerializer`: a {@link Serializer} whose output is URL-safe (compact JSON, zlib, base64url). */
export class URLSafeSerializer<S extends Signer = Signer, O extends SignerOptions = SignerOptions> extends Serializer<
  S,
  O
> {
  static override defaultSerializer: TextSerializer = jsonSerializer;

  private readonly payload: URLSafePayload;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: URLSafeSerializerOptions<S, O> = {}) {
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
