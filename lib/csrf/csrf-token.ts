import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadData, SignatureExpired, URLSafeTimedSerializer, type SecretKey } from '../itsdangerous/index.js';
import type { SecureCookieSession, SessionData } from '../sessions/index.js';
import { CsrfError } from './csrf.error.js';

/** Flask-WTF's salt for CSRF tokens. */
export const CSRF_SALT = 'wtf-csrf-token';

/** What signing and checking a token needs. */
export interface CsrfTokenOptions {
  secretKey: SecretKey;
  /** The session key (and form field) of the raw token. */
  fieldName: string;
  /** Seconds; null for no limit. */
  timeLimit?: number | null;
  /** The clock, in Unix seconds (for tests). */
  now?: () => number;
}

function serializerFor({ secretKey, now }: CsrfTokenOptions): URLSafeTimedSerializer {
  return new URLSafeTimedSerializer(secretKey, now ? { salt: CSRF_SALT, now } : { salt: CSRF_SALT });
}

/**
 * Flask-WTF's `generate_csrf`: the raw token (40 hex digits, SHA-1 of 64 random bytes) is kept in
 * the session under the field name, created when missing; the returned token is that value
 * signed and timestamped with `URLSafeTimedSerializer(key, salt='wtf-csrf-token')`.
 */
export function generateCsrfToken(session: SecureCookieSession<SessionData>, options: CsrfTokenOptions): string {
  let raw = session.get(options.fieldName);
  if (typeof raw !== 'string') {
    raw = createHash('sha1').update(randomBytes(64)).digest('hex');
    session.set(options.fieldName, raw);
  }
  return serializerFor(options).dumps(raw);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Flask-WTF's `validate_csrf`, checks in its order: a token was sent, the session holds one,
 * the signature is not too old, it verifies, and it carries the session's value. Throws a
 * {@link CsrfError} naming the first that fails.
 */
export function validateCsrfToken(
  session: SecureCookieSession<SessionData>,
  token: string | null | undefined,
  options: CsrfTokenOptions,
): void {
  if (!token) throw new CsrfError('missing');
  if (!session.has(options.fieldName)) throw new CsrfError('sessionMissing');
  let value: unknown;
  try {
    value = serializerFor(options).loads(token, { maxAge: options.timeLimit ?? undefined });
  } catch (error) {
    if (error instanceof SignatureExpired) throw new CsrfError('expired');
    if (error instanceof BadData) throw new CsrfError('invalid');
    throw error;
  }
  const stored = session.get(options.fieldName);
  if (typeof stored !== 'string' || typeof value !== 'string' || !sameText(stored, value))
    throw new CsrfError('mismatch');
}
