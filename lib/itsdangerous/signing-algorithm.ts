import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotImplementedError } from '../common/not-implemented.error.js';
import type { DigestMethod } from './key-derivation.js';

/** Makes the raw signature of a value with a derived key (itsdangerous' `SigningAlgorithm`). */
export class SigningAlgorithm {
  getSignature(_key: Buffer, _value: string | Buffer): Buffer {
    throw new NotImplementedError(`${this.constructor.name}.getSignature is not implemented`);
  }

  /** Constant-time comparison with {@link getSignature}; only the (public) length short-circuits. */
  verifySignature(key: Buffer, value: string | Buffer, sig: Buffer): boolean {
    const expected = this.getSignature(key, value);
    return expected.length === sig.length && timingSafeEqual(expected, sig);
  }
}

/** No signing at all: the signature is empty. */
export class NoneAlgorithm extends SigningAlgorithm {
  override getSignature(_key: Buffer, _value: string | Buffer): Buffer {
    return Buffer.alloc(0);
  }
}

/** An HMAC with `digestMethod`, the default. */
export class HMACAlgorithm extends SigningAlgorithm {
  static defaultDigestMethod: DigestMethod = 'sha1';

  readonly digestMethod: DigestMethod;

  constructor(digestMethod?: DigestMethod | null) {
    super();
    this.digestMethod = digestMethod ?? (this.constructor as typeof HMACAlgorithm).defaultDigestMethod;
  }

  override getSignature(key: Buffer, value: string | Buffer): Buffer {
    return createHmac(this.digestMethod, key).update(value).digest();
  }
}
