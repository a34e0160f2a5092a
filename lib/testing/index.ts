import { createSessionConfig, type SessionConfig } from '../interfaces/session-config.js';
import { SecureCookieSessionInterface } from '../interfaces/secure-cookie-session.interface.js';
import { SecureCookieSession, type SessionData } from '../sessions/secure-cookie-session.js';

const codec = new SecureCookieSessionInterface();

function serializerFor(config: Partial<SessionConfig>) {
  const resolved = createSessionConfig(config);
  const serializer = codec.getSigningSerializer(resolved);
  if (!serializer) throw new Error('A SECRET_KEY is needed to sign or read session cookies.');
  return { resolved, serializer };
}

/**
 * A `Cookie` header value carrying a session with `data`, signed as the app would sign it
 * (Flask's `session_transaction` idea): log a test user in without a login round trip.
 *
 * ```ts
 * await request(server).get('/account').set('Cookie', createSessionCookie({ userId: 1 }, { SECRET_KEY }));
 * ```
 */
export function createSessionCookie(data: SessionData, config: Partial<SessionConfig>): string {
  const { resolved, serializer } = serializerFor(config);
  const session = new SecureCookieSession(data);
  return `${codec.getCookieName(resolved)}=${serializer.dumps(session.toJSON())}`;
}

/**
 * The session data a response sets, from its `Set-Cookie` header(s) (the last one naming the
 * session cookie): an object, `{}` when the response deletes the session cookie, or null when it
 * does not touch it.
 *
 * A cookie that does not verify throws instead of giving null, so a test reading with the wrong
 * key fails rather than passing as "untouched": `BadTimeSignature` (wrong key, tampered value;
 * `BadSignature` when not signed at all), `SignatureExpired` (older than
 * `PERMANENT_SESSION_LIFETIME`), `BadPayload` (signed but undecodable). Without a `SECRET_KEY`
 * in `config`, an `Error`.
 */
export function readSessionCookie(
  setCookie: string | string[] | undefined,
  config: Partial<SessionConfig>,
): SessionData | null {
  const { resolved, serializer } = serializerFor(config);
  const prefix = `${codec.getCookieName(resolved)}=`;
  const headers = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const header = headers.filter((line) => line.startsWith(prefix)).at(-1);
  if (header === undefined) return null;
  const value = header.slice(prefix.length).split(';', 1)[0]!;
  if (value === '') return {};
  return serializer.loads(value, { maxAge: resolved.PERMANENT_SESSION_LIFETIME }) as SessionData;
}
