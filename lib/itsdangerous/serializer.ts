import { BadPayload, BadSignature } from './errors.js';
import type { DigestMethod, KeyDerivation, SecretKey } from './key-derivation.js';
import { Signer, type SignerClass, type SignerOptions } from './signer.js';
import { spacedJsonSerializer, type TextSerializer } from './text-serializer.js';

/** A salt given per call or per serializer; `null`/`undefined` per call means the serializer's. */
export type Salt = string | Buffer;

/**
 * A signer to try when the main one fails to unsign (itsdangerous' `fallback_signers`): signer
 * options for the serializer's signer class, a signer class (with the serializer's signer
 * options), or both as a `[class, options]` pair.
 */
export type FallbackSigner<O extends SignerOptions = SignerOptions> =
  O | SignerClass<Signer, O> | readonly [SignerClass<Signer, O>, O];

export interface SerializerOptions<S extends Signer = Signer, O extends SignerOptions = SignerOptions> {
  /** `null` leaves the salt to the signer (`'itsdangerous.Signer'`). @default 'itsdangerous' */
  salt?: Salt | null;
  /** @default the class's `defaultSerializer` */
  serializer?: TextSerializer;
  /** Passed to `serializer.dumps` (itsdangerous' `serializer_kwargs`). */
  serializerOptions?: unknown;
  /** The signer class. @default the class's `defaultSigner` */
  signer?: SignerClass<S, O>;
  /** Passed to every signer built (itsdangerous' `signer_kwargs`). */
  signerOptions?: O;
  /** Tried in order when the main signer fails to unsign. @default the class's `defaultFallbackSigners` */
  fallbackSigners?: ReadonlyArray<FallbackSigner<O>>;
  /** Shorthand for `signerOptions.digestMethod`. */
  digestMethod?: DigestMethod;
  /** Shorthand for `signerOptions.keyDerivation`. */
  keyDerivation?: KeyDerivation;
}

export interface LoadOptions {
  /** Unsign with this salt instead of the serializer's. */
  salt?: Salt | null;
}

/** Where {@link Serializer.dump} writes (a Node `Writable` is one). */
export interface TextSink {
  write(text: string): unknown;
}

/** Where {@link Serializer.load} reads the whole signed text from. */
export interface TextSource {
  read(): string | Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `loads(text, salt)` and `loads(text, { salt })` both work. */
export function loadOptionsOf<T extends LoadOptions>(options: Salt | T | null | undefined): T | LoadOptions {
  if (options == null) return {};
  if (typeof options === 'string' || Buffer.isBuffer(options)) return { salt: options };
  return options;
}

/**
 * itsdangerous' `Serializer`: serialises a value to text (Python's `json` layout by default)
 * and signs it with a {@link Signer}. The output is not URL-safe; see `URLSafeSerializer`.
 *
 * The signers for the serializer's own salt are built once and reused; a per-call salt builds
 * its signers for that call, as itsdangerous does for every call.
 */
export class Serializer<S extends Signer = Signer, O extends SignerOptions = SignerOptions> {
  static defaultSerializer: TextSerializer = spacedJsonSerializer;
  static defaultSigner: SignerClass<Signer, SignerOptions> = Signer;
  static defaultFallbackSigners: ReadonlyArray<FallbackSigner> = [];

  /** Oldest to newest; the newest (last) signs. */
  readonly secretKeys: readonly SecretKey[];
  readonly salt: Buffer | null;
  readonly serializer: TextSerializer;
  readonly serializerOptions: unknown;
  readonly signerOptions: O;
  readonly fallbackSigners: ReadonlyArray<FallbackSigner<O>>;
  private signerClass: SignerClass<S, O>;
  /** The unsigners for `this.salt`, built on first use; `[0]` also signs. */
  private defaultUnsigners: readonly S[] | null = null;

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: SerializerOptions<S, O> = {}) {
    const defaults = this.constructor as typeof Serializer;
    this.secretKeys = typeof secretKeys === 'string' || Buffer.isBuffer(secretKeys) ? [secretKeys] : [...secretKeys];
    const salt = options.salt === undefined ? 'itsdangerous' : options.salt;
    this.salt = salt === null ? null : Buffer.from(salt);
    this.serializer = options.serializer ?? defaults.defaultSerializer;
    this.serializerOptions = options.serializerOptions;
    this.signerClass = options.signer ?? (defaults.defaultSigner as unknown as SignerClass<S, O>);
    const signerOptions = { ...options.signerOptions } as O;
    if (options.digestMethod !== undefined) signerOptions.digestMethod = options.digestMethod;
    if (options.keyDerivation !== undefined) signerOptions.keyDerivation = options.keyDerivation;
    this.signerOptions = signerOptions;
    this.fallbackSigners =
      options.fallbackSigners ?? (defaults.defaultFallbackSigners as ReadonlyArray<FallbackSigner<O>>);
  }

  /** The signer class; setting it drops the signers built so far. */
  get signer(): SignerClass<S, O> {
    return this.signerClass;
  }

  set signer(signerClass: SignerClass<S, O>) {
    this.signerClass = signerClass;
    this.defaultUnsigners = null;
  }

  /** The newest (last) key, the one that signs. */
  get secretKey(): SecretKey {
    return this.secretKeys[this.secretKeys.length - 1]!;
  }

  /** The signer for `salt` (default: the serializer's salt, whose signer is built only once). */
  makeSigner(salt?: Salt | null): S {
    if (salt == null) return this.unsignersFor(null)[0]!;
    return this.buildSigner(this.signerClass, this.secretKeys, salt, this.signerOptions);
  }

  /** The signer, then each fallback signer (one per secret key), in the order `loads` tries them. */
  *iterUnsigners(salt?: Salt | null): Generator<S, void, undefined> {
    yield* this.unsignersFor(salt ?? null);
  }

  /** The payload text: the value through `serializer.dumps`. */
  dumpPayload(value: unknown): string {
    return this.serializer.dumps(value, this.serializerOptions);
  }

  /** The value from an unsigned payload; a failure is {@link BadPayload}. */
  loadPayload(payload: string | Buffer, serializer: TextSerializer = this.serializer): unknown {
    try {
      return serializer.loads(typeof payload === 'string' ? payload : utf8.decode(payload));
    } catch (error) {
      throw new BadPayload(
        'Could not load the payload because an exception occurred on unserializing the data.',
        error,
      );
    }
  }

  /** The signed text of `value`, signed with `salt` if given. */
  dumps(value: unknown, salt?: Salt | null): string {
    return this.makeSigner(salt).sign(this.dumpPayload(value));
  }

  /** {@link dumps} into `sink`. */
  dump(value: unknown, sink: TextSink, salt?: Salt | null): void {
    sink.write(this.dumps(value, salt));
  }

  /**
   * Verifies and decodes. Tries the signer, then the fallback signers; throws the last
   * `BadSignature` if none verifies, or {@link BadPayload}.
   */
  loads(signed: string | Buffer, options?: Salt | LoadOptions | null): unknown {
    const unsigners = this.unsignersFor(loadOptionsOf(options).salt ?? null);
    let lastError: BadSignature | undefined;
    for (let i = 0; i < unsigners.length; i += 1) {
      let payload: string;
      try {
        payload = unsigners[i]!.unsign(signed);
      } catch (error) {
        if (!(error instanceof BadSignature)) throw error;
        lastError = error;
        continue;
      }
      return this.loadPayload(payload);
    }
    throw lastError!;
  }

  /** {@link loads} from `source`. */
  load(source: TextSource, options?: Salt | LoadOptions | null): unknown {
    return this.loads(source.read(), options);
  }

  /**
   * `[true, value]`, or `[false, value]` with the value decoded from a payload whose signature
   * did not verify, or `[false, null]` when there is no payload to decode. Debugging only: the
   * payload is untrusted. A correctly signed but undecodable payload still throws, as in itsdangerous.
   */
  loadsUnsafe(signed: string | Buffer, options?: Salt | LoadOptions | null): [boolean, unknown] {
    try {
      return [true, this.loads(signed, options)];
    } catch (error) {
      if (!(error instanceof BadSignature)) throw error;
      if (error.payload === null) return [false, null];
      try {
        return [false, this.loadPayload(error.payload)];
      } catch (payloadError) {
        if (payloadError instanceof BadPayload) return [false, null];
        throw payloadError;
      }
    }
  }

  /** {@link loadsUnsafe} from `source`. */
  loadUnsafe(source: TextSource, options?: Salt | LoadOptions | null): [boolean, unknown] {
    return this.loadsUnsafe(source.read(), options);
  }

  /** The cached unsigners for the serializer's salt (`null`), or fresh ones for another salt. */
  protected unsignersFor(salt: Salt | null): readonly S[] {
    if (salt === null) return (this.defaultUnsigners ??= this.buildUnsigners(this.salt));
    return this.buildUnsigners(salt);
  }

  private buildUnsigners(salt: Salt | null): S[] {
    const unsigners = [this.buildSigner(this.signerClass, this.secretKeys, salt, this.signerOptions)];
    for (const fallback of this.fallbackSigners) {
      let signerClass: SignerClass<Signer, O>;
      let options: O;
      if (Array.isArray(fallback)) [signerClass, options] = fallback as readonly [SignerClass<Signer, O>, O];
      else if (typeof fallback === 'function')
        [signerClass, options] = [fallback as SignerClass<Signer, O>, this.signerOptions];
      else [signerClass, options] = [this.signerClass, fallback as O];
      for (const key of this.secretKeys)
        unsigners.push(this.buildSigner(signerClass as SignerClass<S, O>, key, salt, options));
    }
    return unsigners;
  }

  private buildSigner(
    signerClass: SignerClass<S, O>,
    keys: SecretKey | readonly SecretKey[],
    salt: Salt | null,
    options: O,
  ): S {
    return new signerClass(keys, { ...options, salt });
  }
}
