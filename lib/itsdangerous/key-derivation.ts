import { createHash, createHmac } from 'node:crypto';

/** How a secret key and a salt become the HMAC key (itsdangerous' `key_derivation`). */
export type KeyDerivation = 'hmac' | 'concat' | 'django-concat' | 'none';

/** A Node hash name; itsdangerous' default is SHA-1. Other names Node knows are accepted too. */
export type DigestMethod = 'sha1' | 'sha256' | 'sha512' | (string & {});

/** A secret key; strings are UTF-8 encoded. */
export type SecretKey = string | Buffer;

/**
 * | derivation | derived key |
 * | --- | --- |
 * | `hmac` (Flask's sessions) | `HMAC(secret, salt)` |
 * | `concat` | `hash(salt + secret)` |
 * | `django-concat` (itsdangerous' default) | `hash(salt + "signer" + secret)` |
 * | `none` | `secret` |
 */
export function deriveKey(secretKey: SecretKey, salt: Buffer, derivation: KeyDerivation, digest: DigestMethod): Buffer {
  const secret = typeof secretKey === 'string' ? Buffer.from(secretKey, 'utf8') : secretKey;
  switch (derivation) {
    case 'hmac':
      return createHmac(digest, secret).update(salt).digest();
    case 'concat':
      return createHash(digest).update(salt).update(secret).digest();
    case 'django-concat':
      return createHash(digest).update(salt).update('signer').update(secret).digest();
    case 'none':
      return Buffer.from(secret);
    default:
      throw new TypeError(`Unknown key derivation method: ${String(derivation)}`);
  }
}

/** Throws a `TypeError` at construction time rather than on the first request. */
export function assertDigestMethod(digest: DigestMethod): void {
  try {
    createHash(digest);
  } catch (error) {
    throw new TypeError(`Unknown digest method: ${String(digest)}`, { cause: error });
  }
}
