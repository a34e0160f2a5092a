import type { SessionRequest } from './session-http.js';
import type { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import { BadSignature, URLSafeTimedSerializer, type DigestMethod, type KeyDerivation } from '../itsdangerous/index.js';
import { CookieSessionInterface } from './cookie-session.interface.js';
import { describeDecodeError } from './describe-decode-error.js';
import { PerKeyCache } from '../config/per-key-cache.js';
import type { SessionConfig } from '../config/session-config.js';

/**
 * The default interface: the whole session lives in a cookie signed with `SECRET_KEY`, in the
 * exact format of Flask's `SecureCookieSessionInterface` (itsdangerous, tagged JSON, HMAC-SHA1),
 * so Flask and Nest applications sharing a key read each other's sessions.
 */
export class SecureCookieSessionInterface extends CookieSessionInterface {
  /** Mixed into the key derivation, so other signed values never pass for sessions. */
  salt = 'cookie-session';
  digestMethod: DigestMethod = 'sha1';
  keyDerivation: KeyDerivation = 'hmac';

  // Deriving keys once per key set, not per request: Flask rebuilds this object on every call.
  // itsdangerous signs with the LAST key: fallbacks first (most recent first), SECRET_KEY last.
  private readonly serializers = new PerKeyCache(
    (secretKey, fallbacks) =>
      new URLSafeTimedSerializer([...fallbacks, secretKey], {
        salt: this.salt,
        serializer: this.serializer,
        keyDerivation: this.keyDerivation,
        digestMethod: this.digestMethod,
      }),
  );

  /** The signer for this config (`SECRET_KEY` signs, fallbacks verify), or null without a key. */
  getSigningSerializer(config: SessionConfig): URLSafeTimedSerializer | null {
    return this.serializers.get(config);
  }

  dumpCookieValue(config: SessionConfig, data: SessionData): string | null {
    return this.getSigningSerializer(config)?.dumps(data) ?? null;
  }

  /** @throws `BadSignature` (and its `SignatureExpired`) or `BadPayload`, as itsdangerous. */
  loadCookieValue(config: SessionConfig, value: string): unknown {
    const serializer = this.getSigningSerializer(config);
    if (!serializer) return null;
    return serializer.loads(value, { maxAge: Math.floor(config.PERMANENT_SESSION_LIFETIME) });
  }

  openSession(config: SessionConfig, request: SessionRequest): SecureCookieSession<SessionData> | null {
    if (!this.getSigningSerializer(config)) return null;
    const value = request.getCookie(this.getCookieName(config, request));
    if (!value) return new this.sessionClass();
    try {
      return new this.sessionClass(this.toEntries(this.loadCookieValue(config, value)));
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
}
