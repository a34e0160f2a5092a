import { createHmac, timingSafeEqual } from 'node:crypto';

/** A key as Flask-Login takes `SECRET_KEY`: a string is encoded as Latin-1, bytes are used as they are. */
export type RememberCookieKey = string | Buffer;

function keyBytes(key: RememberCookieKey): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'latin1') : key;
}

function digest(payload: string, key: RememberCookieKey): string {
  return createHmac('sha512', keyBytes(key)).update(payload, 'utf8').digest('hex');
}

/** Flask-Login's remember-me cookie value: `"{user_id}|{HMAC-SHA512(SECRET_KEY, user_id) hex}"`. */
export function encodeRememberCookie(userId: string, key: RememberCookieKey): string {
  return `${userId}|${digest(userId, key)}`;
}

/** The user id of a remember-me cookie whose digest checks out, else `null`. */
export function decodeRememberCookie(cookie: string, key: RememberCookieKey): string | null {
  const bar = cookie.lastIndexOf('|');
  if (bar === -1) return null;
  const payload = cookie.slice(0, bar);
  const expected = Buffer.from(digest(payload, key), 'utf8');
  const given = Buffer.from(cookie.slice(bar + 1), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
}
