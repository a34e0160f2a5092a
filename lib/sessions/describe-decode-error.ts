import { InflateLimitExceeded } from '../zlib/compression.js';
import { BadPayload } from '../itsdangerous/errors.js';

/** Messages known to hold no session data: the decoder's own limits. */
const CONTENT_FREE_MESSAGE = /^JSON nested deeper than \d+ levels$/;

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  if (error instanceof InflateLimitExceeded || CONTENT_FREE_MESSAGE.test(error.message))
    return `${error.name}: ${error.message}`;
  return error.name;
}

/**
 * Says why a stored or signed session could not be decoded, for a log line, without quoting any
 * of it: the messages of decoders (JSON, tags, UUIDs, UTF-8) may contain fragments of the
 * session, so causes are named by their class only, except the decoder's own limits (size,
 * depth). `BadPayload`'s fixed message names the failing stage (base64, zlib, unserializing).
 */
export function describeDecodeError(error: unknown): string {
  if (error instanceof BadPayload) {
    const cause = error.originalError;
    return `${error.name}: ${error.message}${cause == null ? '' : ` Cause: ${describeCause(cause)}.`}`;
  }
  return describeCause(error);
}
