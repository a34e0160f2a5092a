import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { BadSignature } from './errors.js';
import {
  assertDigestMethod,
  deriveKey,
  type DigestMethod,
  type KeyDerivation,
  type SecretKey,
} from './key-derivation.js';
import { HMACAlgorithm, type SigningAlgorithm } from './signing-algorithm.js';

export interface SignerOptions {
  /**
   * Namespaces the signature: values signed with another salt never verify. `null` is the
   * default too, as in itsdangerous. @default 'itsdangerous.Signer'
   */
  salt?: string | Buffer | null;
  /** Must not be a substring of the base64url alphabet and `=` (itsdangerous' rule). @default '.' */
  sep?: string;
  /** @default the class's `defaultKeyDerivation`: 'django-concat' (Flask's sessions use 'hmac') */
  keyDerivation?: KeyDerivation | null;
  /** @default the class's `defaultDigestMethod`: 'sha1' */
  digestMethod?: DigestMethod | null;
  /** Signs instead of `new HMACAlgorithm(digestMethod)`. */
  algorithm?: SigningAlgorithm | null;
}

/** A `Signer` class, as serializers take it (itsdangerous' `signer` argument). */
export type SignerClass<S extends Signer = Signer, O extends SignerOptions = SignerOptions> = new (
  secretKeys: SecretKey | readonly SecretKey[],
  options?: O,
) => S;

/** itsdangerous' `_base64_alphabet`: a separator that is a substring of it is refused. */
const BASE64_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=';

function toText(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * Signs and verifies values with an HMAC (itsdangerous' `Signer`). With several secret keys the
 * last one signs and every one verifies, newest first, which is how keys are rotated.
 */
export class Signer {
  /** Used when no `digestMethod` is given; subclasses may change it. */
  static defaultDigestMethod: DigestMethod = 'sha1';
  /** Used when no `keyDerivation` is given; subclasses may change it. */
  static defaultKeyDerivation: KeyDerivation = 'django-concat';

  readonly sep: string;
  readonly salt: Buffer;
  readonly keyDerivation: KeyDerivation;
  readonly digestMethod: DigestMethod;
  readonly algorithm: SigningAlgorithm;
  readonly secretKeys: readonly SecretKey[];
  // Derived once here: deriving per call would double the HMAC work of every request.
  // Newest (last) key first, the order verification tries them in; [0] signs.
  private readonly derivedKeys: readonly Buffer[];

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: SignerOptions = {}) {
    const keys: readonly SecretKey[] =
      typeof secretKeys === 'string' || Buffer.isBuffer(secretKeys) ? [secretKeys] : secretKeys;
    if (keys.length === 0) throw new TypeError('Signer needs at least one secret key');
    this.secretKeys = [...keys];
    this.sep = options.sep ?? '.';
    // Substring, not character, as itsdangerous: "x|" is fine, "ab" and "" are not.
    if (BASE64_ALPHABET.includes(this.sep)) {
      throw new TypeError(
        'The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and "-_=" must not be used.',
      );
    }
    this.salt = Buffer.from(options.salt ?? 'itsdangerous.Signer');
    const defaults = this.constructor as typeof Signer;
    this.keyDerivation = options.keyDerivation ?? defaults.defaultKeyDerivation;
    this.digestMethod = options.digestMethod ?? defaults.defaultDigestMethod;
    assertDigestMethod(this.digestMethod);
    this.algorithm = options.algorithm ?? new HMACAlgorithm(this.digestMethod);
    this.derivedKeys = [...this.secretKeys].reverse().map((key) => this.deriveKey(key));
  }

  /** The newest (last) key, the one that signs. */
  get secretKey(): SecretKey {
    return this.secretKeys[this.secretKeys.length - 1]!;
  }

  /** The HMAC key for `secretKey` (default: the newest) with this salt and derivation. */
  deriveKey(secretKey: SecretKey = this.secretKey): Buffer {
    return deriveKey(secretKey, this.salt, this.keyDerivation, this.digestMethod);
  }

  /** The base64url signature of `value` made with the signing (last) key. */
  getSignature(value: string | Buffer): string {
    return base64UrlEncode(this.algorithm.getSignature(this.derivedKeys[0]!, value));
  }

  /** `value + sep + signature`. */
  sign(value: string | Buffer): string {
    // Sign the text we return, so a Buffer that is not valid UTF-8 still yields a verifiable value.
    const text = toText(value);
    return `${text}${this.sep}${this.getSignature(text)}`;
  }

  /**
   * Checks `sig` against every key, newest first. An undecodable or wrong-length signature is
   * `false`, never an exception. Comparison is constant time; only the length, which is public,
   * short-circuits.
   */
  verifySignature(value: string | Buffer, sig: string | Buffer): boolean {
    let provided: Buffer;
    try {
      provided = base64UrlDecode(toText(sig));
    } catch {
      return false;
    }
    for (const key of this.derivedKeys) {
      if (this.algorithm.verifySignature(key, value, provided)) return true;
    }
    return false;
  }

  /** Returns the value without its signature, or throws {@link BadSignature}. */
  unsign(signedValue: string | Buffer): string {
    const signed = toText(signedValue);
    const index = signed.lastIndexOf(this.sep);
    if (index < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signed.slice(0, index);
    const sig = signed.slice(index + this.sep.length);
    if (this.verifySignature(value, sig)) return value;
    throw new BadSignature(`Signature "${sig}" does not match`, Buffer.from(value, 'utf8'));
  }

  /** `true` if {@link unsign} would succeed. */
  validate(signedValue: string | Buffer): boolean {
    try {
      this.unsign(signedValue);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }
}
