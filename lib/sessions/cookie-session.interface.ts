import type { SessionRequest, SessionResponse } from './session-http.js';
import {
  copyPlainJson,
  NEEDS_EXACT_PARSE,
  parseAsPlainJson,
  sessionJsonSerializer,
  TaggedJSONSerializer,
} from '../tagged-json/index.js';
import { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import type { TextSerializer } from '../itsdangerous/index.js';
import type { SessionConfig } from '../config/session-config.js';
import { SessionInterface } from './session.interface.js';
import {
  checkVerifiedCacheBytes,
  DEFAULT_VERIFIED_CACHE_BYTES,
  EXPIRED,
  type CachedPayload,
  type VerifiedCacheStats,
  type VerifiedCookieCache,
} from './verified-cookie-cache.js';

/**
 * What `parser.loads(payload.text)` returns, from a copy of the payload's parsed form when the
 * parser is Flask's tagged JSON (its `loads` not replaced) and `JSON.parse` reads the text
 * exactly: copying the parsed form costs a fraction of parsing the text again. The first hit
 * parses it and keeps the parsed form in the cache; no request ever receives the kept one.
 */
function loadCachedPayload(cache: VerifiedCookieCache, payload: CachedPayload, parser: TextSerializer): unknown {
  if (!(parser instanceof TaggedJSONSerializer) || parser.loads !== TaggedJSONSerializer.prototype.loads) {
    return parser.loads(payload.text);
  }
  let parsed = payload.parsed;
  if (parsed === undefined) {
    parsed = parseAsPlainJson(payload.text, { maxDepth: parser.maxDepth });
    cache.keepParsed(payload, parsed);
  }
  if (parsed === NEEDS_EXACT_PARSE) return parser.loads(payload.text);
  return parser.loadsParsed(copyPlainJson(parsed));
}

/** Options every cookie interface takes. */
export interface CookieSessionInterfaceOptions {
  /**
   * Memory budget, in bytes, of the verified-cookie cache: a cookie value seen again skips
   * verification and decoding (its age is still checked on every request), see
   * docs/performance.md. One cache per key set, emptied when the keys change. 0 turns it off.
   * @default 1048576 (1 MiB, about 1,300 login-sized sessions)
   */
  verifiedCacheBytes?: number;
}

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
  /** The verified-cookie cache's budget in bytes; 0 when it is off. */
  readonly verifiedCacheBytes: number;
  /** Hits and misses of the verified-cookie cache (across key sets) since start. */
  readonly verifiedCacheStats: VerifiedCacheStats = { hits: 0, misses: 0 };

  constructor(options: CookieSessionInterfaceOptions = {}) {
    super();
    this.verifiedCacheBytes = checkVerifiedCacheBytes(options.verifiedCacheBytes ?? DEFAULT_VERIFIED_CACHE_BYTES);
  }

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

    const value = this.dumpForResponse(config, session.toJSON());
    if (value === null) return;
    const expires = this.getExpirationTime(config, session);
    this.setSessionCookie(config, response, name, value, { ...attributes, expires });
    response.addVary('Cookie');
  }

  /**
   * An untouched cookie session is only saved when it is permanent (and
   * `SESSION_REFRESH_EACH_REQUEST`), or when opening it marks it modified: so no cookie, or one
   * whose payload cannot hold `_permanent`, needs no opening. Interfaces whose opening or saving
   * a subclass changed always open (Flask opens every request's session).
   */
  override mustOpenToSave(config: SessionConfig, request: SessionRequest): boolean {
    if (
      !this.opensOwnFormat ||
      this.saveSession !== CookieSessionInterface.prototype.saveSession ||
      this.shouldSetCookie !== SessionInterface.prototype.shouldSetCookie
    )
      return true;
    const value = request.getCookie(this.getCookieName(config, request));
    if (!value) return false;
    if (this.opensModified(config, value)) return true;
    if (!config.SESSION_REFRESH_EACH_REQUEST) return false;
    return this.mayBePermanent(config, value);
  }

  /** True while the concrete interface opens and reads cookies with its own methods (no subclass replaced them). */
  protected get opensOwnFormat(): boolean {
    return false;
  }

  /** Whether opening `value` gives a session already marked modified (a format migration). */
  protected opensModified(_config: SessionConfig, _value: string): boolean {
    return false;
  }

  /**
   * False only when the cookie value cannot open to a permanent session: its payload, read
   * without verifying it, has no `_permanent` key. (Verification cannot add a key; a value that
   * does not verify opens empty.)
   */
  protected mayBePermanent(_config: SessionConfig, _value: string): boolean {
    return true;
  }

  /**
   * The cookie value a response carries: {@link dumpCookieValue}, which an interface with a
   * verified-cookie cache also remembers, so the client's next request finds it there.
   */
  protected dumpForResponse(config: SessionConfig, data: SessionData): string | null {
    return this.dumpCookieValue(config, data);
  }

  /**
   * The session of a cookie value found in `cache` whose age is still within
   * `PERMANENT_SESSION_LIFETIME`, parsed from the cached text (new objects every time).
   * Undefined when the value must be verified: not cached, expired (verification then refuses
   * it as usual), or its text no longer becomes a session.
   */
  protected openCached(
    config: SessionConfig,
    cache: VerifiedCookieCache,
    value: string,
    parser: TextSerializer,
  ): SecureCookieSession<SessionData> | undefined {
    const now = Math.floor(Date.now() / 1000);
    const payload = cache.find(value, Math.floor(config.PERMANENT_SESSION_LIFETIME), now);
    // Expired (the entry is gone): verification refuses it the way it always does, warning included.
    if (payload === undefined || payload === EXPIRED) {
      this.verifiedCacheStats.misses += 1;
      return undefined;
    }
    this.verifiedCacheStats.hits += 1;
    try {
      return new this.sessionClass(this.toEntries(loadCachedPayload(cache, payload, parser)));
    } catch {
      // Verification reports it (and the cache no longer holds it).
      cache.forget(value);
      this.verifiedCacheStats.hits -= 1;
      this.verifiedCacheStats.misses += 1;
      return undefined;
    }
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
