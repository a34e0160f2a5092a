/**
 * Why a cookie value did not open:
 * - `format`: not an encrypted session value at all (no `v<digits>.` prefix);
 * - `version`: a format version this release does not read;
 * - `encoding`: the text after the prefix is not canonical base64url (cut or altered);
 * - `truncated`: shorter than a nonce, a header and a tag;
 * - `authentication`: the tag does not verify under any key (tampered, truncated inside, or
 *   sealed with a key that is neither `SECRET_KEY` nor one of `SECRET_KEY_FALLBACKS`);
 * - `expired`: authentic, but issued more than the lifetime ago (or in the future);
 * - `payload`: authentic and fresh, but its contents do not decode (only a key holder makes one).
 */
export type UnsealFailure = 'format' | 'version' | 'encoding' | 'truncated' | 'authentication' | 'expired' | 'payload';

/**
 * A sealed cookie value that cannot be opened. The message says why without quoting the value
 * or its contents, so it is safe to log.
 */
export class UnsealError extends Error {
  override readonly name = 'UnsealError';
  constructor(
    readonly reason: UnsealFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
