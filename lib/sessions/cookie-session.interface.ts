import type { SessionRequest, SessionResponse } from './session-http.js';
import { sessionJsonSerializer } from '../tagged-json/index.js';
import { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import type { TextSerializer } from '../itsdangerous/index.js';
import type { SessionConfig } from '../config/session-config.js';
import { SessionInterface } from './session.interface.js';

/**
 * A session kept whole in its cookie: the signed (Flask) and the encrypted interfaces. Subclasses
 * say how data becomes a cookie value and back; saving follows Flask's rules for both: `Vary:
 * Cookie` once the session was accessed, an emptied session deletes its cookie, a permanent one
 * is re-written on every response while `SESSION_REFRESH_EACH_REQUEST`, and the size policy.
 */
export abstract class CookieSessionInterface extends SessionInterface<SecureCookieSession<SessionData>> {
  /**
   * Turns the session into text and back: Flask's tagged JSON, the one `sessionJsonSerializer`
   * of `nest-flask-session/tagged-json` that Redis sessions use too (tags registered on it reach every session).
   */
  serializer: TextSerializer = sessionJsonSerializer;
  sessionClass: new (initial?: Iterable<readonly [string, unknown]>) => SecureCookieSession<SessionData> =
    SecureCookieSession;

  /** The cookie value holding `data`, or null when the config has no `SECRET_KEY`. */
  abstract dumpCookieValue(config: SessionConfig, data: SessionData): string | null;

  /**
   * The payload of a cookie value, checked as `openSession` checks it (key, age); throws when the
   * value does not verify or decode, and returns null when the config has no `SECRET_KEY`.
   */
  abstract loadCookieValue(config: SessionConfig, value: string): unknown;

  /** Cookie sessions open synchronously: the whole session is in the request. */
  abstract override openSession(
    config: SessionConfig,
    request: SessionRequest,
  ): SecureCookieSession<SessionData> | null;

  saveSession(config: SessionConfig, session: SecureCookieSession<SessionData>, response: SessionResponse): void {
    const attributes = this.getCookieAttributes(config, response.request);
    const { name } = attributes;

    if (session.accessed) response.addVary('Cookie');

    if (session.size === 0) {
      if (session.modified) {
        response.deleteCookie(name, attributes);
        response.addVary('Cookie');
      }
      return;
    }

    if (!this.shouldSetCookie(config, session)) return;

    const value = this.dumpCookieValue(config, session.toJSON());
    if (value === null) return;
    const expires = this.getExpirationTime(config, session);
    this.setSessionCookie(config, response, name, value, { ...attributes, expires });
    response.addVary('Cookie');
  }

  /**
   * Flask passes the payload to `dict()`: an object is the session, `null` and `[]` are empty, a
   * list of pairs becomes a dict. Anything else cannot be a session.
   */
  protected toEntries(data: unknown): Iterable<readonly [string, unknown]> {
    if (data === null) return [];
    if (Array.isArray(data)) {
      if (!data.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string')) {
        throw new TypeError('the session payload is a list that is not a list of key/value pairs');
      }
      return data as Array<[string, unknown]>;
    }
    if (typeof data === 'object') {
      const prototype: unknown = Object.getPrototypeOf(data);
      if (prototype === Object.prototype || prototype === null) return Object.entries(data as Record<string, unknown>);
    }
    throw new TypeError(
      `the session payload is ${typeof data === 'object' ? 'a tagged value' : `a ${typeof data}`}, not an object`,
    );
  }
}
