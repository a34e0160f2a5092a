import { createHash, createHmac } from 'node:crypto';

/** How a secret key and a salt become the HMAC key (itsdangerous' `key_derivation`). */
export type KeyDerivation = 'hmac' | 'concat' | 'django-concat' | 'none';

/** A Node hash name; itsdangerous' default is SHA-1. */
export type DigestMethod = 'sha1' | 'sha256' | 'sha512' | (string & {});

/** A secret key; strings are UTF-8 encoded. */
export type SecretKey = string | Buffer;

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
      return secret;
    default:
      throw new TypeError(`Unknown key derivation method: ${String(derivation)}`);
  }
}
