/** Base of every signing and payload error (itsdangerous' `BadData`). */
export class BadData extends Error {
  override name = 'BadData';
}

/** The signature does not match, or the value is not signed at all. */
export class BadSignature extends BadData {
  override name = 'BadSignature';
  constructor(
    message: string,
    /** The part that was signed, when the value could be split; unverified, so never trust it. */
    readonly payload: Buffer | null = null,
  ) {
    super(message);
  }
}

/** A timestamped signature is bad, or its timestamp is missing or malformed. */
export class BadTimeSignature extends BadSignature {
  override name = 'BadTimeSignature';
  constructor(
    message: string,
    payload: Buffer | null = null,
    /** When the value claims to have been signed, if the timestamp could be read. */
    readonly dateSigned: Date | null = null,
  ) {
    super(message, payload);
  }
}

/** The signature is valid but older than `maxAge`, or dated in the future. */
export class SignatureExpired extends BadTimeSignature {
  override name = 'SignatureExpired';
}

/** A signed header is bad (kept for itsdangerous parity; cookie sessions never raise it). */
export class BadHeader extends BadSignature {
  override name = 'BadHeader';
}

/**
 * The signature is valid but the payload cannot be decoded (base64, zlib, UTF-8, JSON or a tag).
 * Only a holder of the key can produce one.
 */
export class BadPayload extends BadData {
  override name = 'BadPayload';
  constructor(
    message: string,
    readonly originalError: unknown = null,
  ) {
    super(message, originalError === null ? undefined : { cause: originalError });
  }
}
