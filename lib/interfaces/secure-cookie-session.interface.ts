import type { SessionRequest, SessionResponse } from '../http/session-http.js';
import { TaggedJSONSerializer } from '../json/index.js';
import { SecureCookieSession, type SessionData } from '../sessions/secure-cookie-session.js';
import { BadSignature, URLSafeTimedSerializer, type DigestMethod, type KeyDerivation, type TextSerializer } from '../signing/index.js';
import { describeDecodeError } from './describe-decode-error.js';
import { assertNoEmptyFallbackKeys } from './secret-keys.js';
import type { SessionConfig } from './session-config.js';
import { SessionInterface } from './session.interface.js';

type SecretKey = string | Buffer;

interface CachedSerializer {
  secretKey: SecretKey;
  fallbacks: ReadonlyArray<SecretKey> | null;
  fallbackCopy: SecretKey[];
  serializer: URLSafeTimedSerializer;
}

/** One module-level instance, as Flask's `session_json_serializer`. */
const sessionJsonSerializer = new TaggedJSONSerializer();

function sameKeys(a: ReadonlyArray<SecretKey>, b: ReadonlyArray<SecretKey>): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/**
 * The default interface: the whole session lives in a cookie signed with `SECRET_KEY`, in the
 * exact format of Flask's `SecureCookieSessionInterface` (itsdangerous, tagged JSON, HMAC-SHA1),
 * so Flask and Nest applications sharing a key read each other's sessions.
 */
export class SecureCookieSessionInterface extends SessionInterface<SecureCookieSession<SessionData>> {
  /** Mixed into the key derivation, so other signed values never pass for sessions. */
  salt = 'cookie-session';
  digestMethod: DigestMethod = 'sha1';
  keyDerivation: KeyDerivation = 'hmac';
  serializer: TextSerializer = sessionJsonSerializer;
  sessionClass: new (initial?: Iterable<readonly [string, unknown]>) => SecureCookieSession<SessionData> =
    SecureCookieSession;

  // Deriving keys once per key set, not per request: Flask rebuilds this object on every call.
  private readonly serializers = new WeakMap<SessionConfig, CachedSerializer>();

  /** The signer for this config (`SECRET_KEY` signs, fallbacks verify), or null without a key. */
  getSigningSerializer(config: SessionConfig): URLSafeTimedSerializer | null {
    const secretKey = config.SECRET_KEY;
    if (!secretKey || secretKey.length === 0) return null;
    const fallbacks = config.SECRET_KEY_FALLBACKS;
    const cached = this.serializers.get(config);
    if (
      cached &&
      cached.secretKey === secretKey &&
      cached.fallbacks === fallbacks &&
      sameKeys(cached.fallbackCopy, fallbacks ?? [])
    ) {
      return cached.serializer;
    }
    assertNoEmptyFallbackKeys(config);
    // itsdangerous signs with the LAST key: fallbacks first (most recent first), SECRET_KEY last.
    const keys = [...(fallbacks ?? []), secretKey];
    const serializer = new URLSafeTimedSerializer(keys, {
      salt: this.salt,
      serializer: this.serializer,
      keyDerivation: this.keyDerivation,
      digestMethod: this.digestMethod,
    });
    this.serializers.set(config, { secretKey, fallbacks, fallbackCopy: [...(fallbacks ?? [])], serializer });
    return serializer;
  }

  openSession(config: SessionConfig, request: SessionRequest): SecureCookieSession<SessionData> | null {
    const serializer = this.getSigningSerializer(config);
    if (!serializer) return null;
    const value = request.getCookie(this.getCookieName(config, request));
    if (!value) return new this.sessionClass();
    try {
      const data = serializer.loads(value, { maxAge: Math.floor(config.PERMANENT_SESSION_LIFETIME) });
      return new this.sessionClass(this.toEntries(data));
    } catch (error) {
      // A bad signature or an expired cookie is routine: the client gets a fresh session.
      // Anything else (BadPayload and co.) was signed with our key, so it is worth a warning.
      if (!(error instanceof BadSignature)) {
        this.logger.warn(
          `Ignoring the '${this.getCookieName(config, request)}' cookie: it is correctly signed but its payload ` +
            `cannot be decoded (${describeDecodeError(error)}). A fresh session was started.`,
        );
      }
      return new this.sessionClass();
    }
  }

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

    const serializer = this.getSigningSerializer(config);
    if (!serializer) return;
    const expires = this.getExpirationTime(config, session);
    const value = serializer.dumps(session.toJSON());
    this.setSessionCookie(config, response, name, value, { ...attributes, expires });
    response.addVary('Cookie');
  }

  /**
   * Flask passes the payload to `dict()`: an object is the session, `null` and `[]` are empty, a
   * list of pairs becomes a dict. Anything else cannot be a session.
   */
  private toEntries(data: unknown): Iterable<readonly [string, unknown]> {
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
    throw new TypeError(`the session payload is ${typeof data === 'object' ? 'a tagged value' : `a ${typeof data}`}, not an object`);
  }
}
