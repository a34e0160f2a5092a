import { createHmac, timingSafeEqual } from 'node:crypto';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { BadSignature } from './errors.js';
import { deriveKey, type DigestMethod, type KeyDerivation, type SecretKey } from './key-derivation.js';

export interface SignerOptions {
  /** Namespaces the signature: values signed with another salt never verify. @default 'itsdangerous.Signer' */
  salt?: string | Buffer;
  /** @default '.' */
  sep?: string;
  /** @default 'django-concat' (itsdangerous' default; Flask's sessions use 'hmac') */
  keyDerivation?: KeyDerivation;
  /** @default 'sha1' */
  digestMethod?: DigestMethod;
}

const BASE64_ALPHABET = /[A-Za-z0-9_\-=]/;

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/**
 * Signs and verifies values with an HMAC (itsdangerous' `Signer`). With several secret keys the
 * last one signs and every one verifies, newest first, which is how keys are rotated.
 */
export class Signer {
  readonly sep: string;
  readonly salt: Buffer;
  readonly keyDerivation: KeyDerivation;
  readonly digestMethod: DigestMethod;
  readonly secretKeys: readonly SecretKey[];
  // Derived once here: deriving per call would double the HMAC work of every request.
  private readonly derivedKeys: readonly Buffer[];

  constructor(secretKeys: SecretKey | readonly SecretKey[], options: SignerOptions = {}) {
    this.secretKeys = Array.isArray(secretKeys) ? [...(secretKeys as readonly SecretKey[])] : [secretKeys as SecretKey];
    if (this.secretKeys.length === 0) throw new TypeError('Signer needs at least one secret key');
    this.sep = options.sep ?? '.';
    if (this.sep.length === 0 || BASE64_ALPHABET.test(this.sep)) {
      throw new TypeError('The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and "-_=" must not be used.');
    }
    this.salt = toBuffer(options.salt ?? 'itsdangerous.Signer');
    this.keyDerivation = options.keyDerivation ?? 'django-concat';
    this.digestMethod = options.digestMethod ?? 'sha1';
    // Newest (last) key first: that is the order verification tries them in.
    this.derivedKeys = [...this.secretKeys]
      .reverse()
      .map((key) => deriveKey(key, this.salt, this.keyDerivation, this.digestMethod));
  }

  /** The base64url signature of `value` made with the signing (last) key. */
  getSignature(value: string | Buffer): string {
    return base64UrlEncode(this.mac(this.derivedKeys[0]!, value));
  }

  sign(value: string | Buffer): string {
    const text = typeof value === 'string' ? value : value.toString('utf8');
    return `${text}${this.sep}${this.getSignature(value)}`;
  }

  /** Constant-time check of `sig` against every key; never throws. */
  verifySignature(value: string | Buffer, sig: string | Buffer): boolean {
    let provided: Buffer;
    try {
      provided = base64UrlDecode(typeof sig === 'string' ? sig : sig.toString('latin1'));
    } catch {
      return false;
    }
    for (const key of this.derivedKeys) {
      const expected = this.mac(key, value);
      if (expected.length === provided.length && timingSafeEqual(expected, provided)) return true;
    }
    return false;
  }

  /** Returns the value without its signature, or throws {@link BadSignature}. */
  unsign(signedValue: string | Buffer): string {
    const signed = typeof signedValue === 'string' ? signedValue : signedValue.toString('utf8');
    const index = signed.lastIndexOf(this.sep);
    if (index < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signed.slice(0, index);
    const sig = signed.slice(index + this.sep.length);
    if (this.verifySignature(value, sig)) return value;
    throw new BadSignature(`Signature "${sig}" does not match`, Buffer.from(value, 'utf8'));
  }

  validate(signedValue: string | Buffer): boolean {
    try {
      this.unsign(signedValue);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }

  private mac(key: Buffer, value: string | Buffer): Buffer {
    return createHmac(this.digestMethod, key).update(value).digest();
  }
}
