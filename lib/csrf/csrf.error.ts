import { BadRequestException } from '@nestjs/common';

/** Why a request failed CSRF validation, in Flask-WTF's words. */
export const CSRF_REASONS = Object.freeze({
  missing: 'The CSRF token is missing.',
  sessionMissing: 'The CSRF session token is missing.',
  expired: 'The CSRF token has expired.',
  invalid: 'The CSRF token is invalid.',
  mismatch: 'The CSRF tokens do not match.',
  referrerMissing: 'The referrer header is missing.',
  referrerMismatch: 'The referrer does not match the host.',
});

/** Which check failed. */
export type CsrfFailure = keyof typeof CSRF_REASONS;

/**
 * Flask-WTF's `CSRFError`: a 400 whose message is the reason (`error.reason` says which check,
 * `error.message` says it as Flask-WTF does).
 */
export class CsrfError extends BadRequestException {
  constructor(readonly reason: CsrfFailure) {
    super(CSRF_REASONS[reason]);
    this.name = 'CsrfError';
  }
}
