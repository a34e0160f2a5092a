import type { CookieSessionInterface } from '../sessions/cookie-session.interface.js';
import { createSessionConfig, type SessionConfig } from '../config/session-config.js';
import { SecureCookieSessionInterface } from '../sessions/secure-cookie-session.interface.js';
import { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';

const signedCookies = new SecureCookieSessionInterface();

function resolve(config: Partial<SessionConfig>, sessionInterface: CookieSessionInterface) {
  const resolved = createSessionConfig(config);
  if (!resolved.SECRET_KEY || resolved.SECRET_KEY.length === 0)
    throw new Error('A SECRET_KEY is needed to sign or read session cookies.');
  return { resolved, name: sessionInterface.getCookieName(resolved) };
}

/**
 * A `Cookie` header value carrying a session with `data`, signed as the app would sign it
 * (Flask's `session_transaction` idea): log a test user in without a login round trip. Pass the
 * app's cookie interface when it is not the default, e.g. `new EncryptedCookieSessionInterface()`.
 *
 * ```ts
 * await request(server).get('/account').set('Cookie', createSessionCookie({ userId: 1 }, { SECRET_KEY }));
 * ```
 */
export function createSessionCookie(
  data: SessionData,
  config: Partial<SessionConfig>,
  sessionInterface: CookieSessionInterface = signedCookies,
): string {
  const { resolved, name } = resolve(config, sessionInterface);
  const session = new SecureCookieSession(data);
  return `${name}=${sessionInterface.dumpCookieValue(resolved, session.toJSON())!}`;
}

/**
 * The session data a response sets, from its `Set-Cookie` header(s) (the last one naming the
 * session cookie): an object, `{}` when the response deletes the session cookie, or null when it
 * does not touch it. Pass the app's cookie interface when it is not the default.
 *
 * A cookie that does not verify throws instead of giving null, so a test reading with the wrong
 * key fails rather than passing as "untouched". Signed cookies: `BadTimeSignature` (wrong key,
 * tampered value; `BadSignature` when not signed at all), `SignatureExpired` (older than
 * `PERMANENT_SESSION_LIFETIME`), `BadPayload` (signed but undecodable). Encrypted cookies:
 * `UnsealError`, whose `reason` says why. Without a `SECRET_KEY` in `config`, an `Error`.
 */
export function readSessionCookie(
  setCookie: string | string[] | undefined,
  config: Partial<SessionConfig>,
  sessionInterface: CookieSessionInterface = signedCookies,
): SessionData | null {
  const { resolved, name } = resolve(config, sessionInterface);
  const prefix = `${name}=`;
  const headers = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const header = headers.filter((line) => line.startsWith(prefix)).at(-1);
  if (header === undefined) return null;
  const value = header.slice(prefix.length).split(';', 1)[0]!;
  if (value === '') return {};
  return sessionInterface.loadCookieValue(resolved, value) as SessionData;
}
