import type { SessionRequest } from './session-http.js';
import { CookieSealer, DEFAULT_SEALING_PURPOSE, UnsealError } from '../encryption/index.js';
import type { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import { BadSignature } from '../itsdangerous/index.js';
import { CookieSessionInterface, type CookieSessionInterfaceOptions } from './cookie-session.interface.js';
import { describeDecodeError } from './describe-decode-error.js';
import { PerKeyCache } from '../config/per-key-cache.js';
import { SecureCookieSessionInterface } from './secure-cookie-session.interface.js';
import type { SessionConfig } from '../config/session-config.js';
import { mayHoldPermanentKey, roundTripsThroughUtf8, VerifiedCookieCache } from './verified-cookie-cache.js';

/** What the interface derives from one key set: the sealer, and the cache of what it opened. */
interface Keyed {
  sealer: CookieSealer;
  cache: VerifiedCookieCache | null;
}

export interface EncryptedCookieSessionOptions extends CookieSessionInterfaceOptions {
  /**
   * Migration from signed cookies: a cookie in Flask's signed format that verifies under the
   * same keys ({@link SecureCookieSessionInterface}'s rules) is accepted once and re-written
   * encrypted on the same response. Turn it off again once `PERMANENT_SESSION_LIFETIME` has
   * passed since the switch. @default false
   */
  acceptSignedCookies?: boolean;
  /**
   * Sessions whose JSON is at least this many bytes are deflated when that shortens them;
   * smaller ones skip the attempt (see README, "Encrypted cookies"). @default 128
   */
  compressionThreshold?: number;
  /** Largest session, in bytes of JSON, that a cookie may open to. @default 262144 (256 KiB) */
  maxPayloadSize?: number;
}

/**
 * Sessions kept whole in the cookie like Flask's, but encrypted: the same `SessionModule`,
 * `@Session()`, tagged JSON types, config keys and write rules, and the client can neither read
 * nor change its session. AES-256-GCM under a key derived by HKDF from `SECRET_KEY` (fallback
 * keys open), with the issue time sealed inside so `PERMANENT_SESSION_LIFETIME` is enforced on
 * the server. Format: {@link CookieSealer}.
 *
 * ```ts
 * SessionModule.forRoot({ sessionInterface: EncryptedCookieSessionInterface })
 * SessionModule.forRoot({ sessionInterface: new EncryptedCookieSessionInterface({ acceptSignedCookies: true }) })
 * ```
 */
export class EncryptedCookieSessionInterface extends CookieSessionInterface {
  /** HKDF's label for the cookie keys: never the signing key, nor a key derived for anything else. */
  keyPurpose = DEFAULT_SEALING_PURPOSE;
  readonly acceptSignedCookies: boolean;
  readonly compressionThreshold: number | undefined;
  readonly maxPayloadSize: number | undefined;

  private readonly keyed = new PerKeyCache((secretKey, fallbacks): Keyed => ({
    sealer: new CookieSealer([secretKey, ...fallbacks], {
      purpose: this.keyPurpose,
      compressionThreshold: this.compressionThreshold,
      maxPayloadSize: this.maxPayloadSize,
    }),
    cache: this.verifiedCacheBytes > 0 ? new VerifiedCookieCache(this.verifiedCacheBytes) : null,
  }));
  /** Reads Flask's signed cookies during a migration (same keys, Flask's salt and rules). */
  private readonly signed = new SecureCookieSessionInterface({ verifiedCacheBytes: 0 });

  constructor(options: EncryptedCookieSessionOptions = {}) {
    super(options);
    this.acceptSignedCookies = options.acceptSignedCookies ?? false;
    this.compressionThreshold = options.compressionThreshold;
    this.maxPayloadSize = options.maxPayloadSize;
  }

  /** The sealer for this config (`SECRET_KEY` seals, fallbacks open), or null without a key. */
  getSealer(config: SessionConfig): CookieSealer | null {
    return this.keyed.get(config)?.sealer ?? null;
  }

  dumpCookieValue(config: SessionConfig, data: SessionData): string | null {
    return this.getSealer(config)?.seal(this.serializer.dumps(data)) ?? null;
  }

  /** @throws {@link UnsealError} when the value does not open; the serializer's error when its JSON does not decode. */
  loadCookieValue(config: SessionConfig, value: string): unknown {
    const sealer = this.getSealer(config);
    if (!sealer) return null;
    return this.parsePayload(sealer.open(value, Math.floor(config.PERMANENT_SESSION_LIFETIME)));
  }

  private parsePayload(text: string): unknown {
    try {
      return this.serializer.loads(text);
    } catch (error) {
      throw new UnsealError('payload', `its payload cannot be decoded (${describeDecodeError(error)})`, {
        cause: error,
      });
    }
  }

  protected override get opensOwnFormat(): boolean {
    return this.codecIsOwn && this.openSession === EncryptedCookieSessionInterface.prototype.openSession;
  }

  /** The cache serves `openSession` only while the cookie codec is this class's own. */
  private get codecIsOwn(): boolean {
    return (
      this.loadCookieValue === EncryptedCookieSessionInterface.prototype.loadCookieValue &&
      this.dumpCookieValue === EncryptedCookieSessionInterface.prototype.dumpCookieValue
    );
  }

  /** A Flask-signed cookie opens modified while `acceptSignedCookies`: it is re-written encrypted. */
  protected override opensModified(_config: SessionConfig, value: string): boolean {
    return this.acceptSignedCookies && !value.startsWith('v1.');
  }

  /** From the cached text when the value is cached; otherwise true (only decryption could tell). */
  protected override mayBePermanent(config: SessionConfig, value: string): boolean {
    if (!this.codecIsOwn) return true;
    const keyed = this.keyed.get(config);
    if (!keyed) return false;
    const text = keyed.cache?.peek(value);
    return text === undefined || mayHoldPermanentKey(text);
  }

  protected override dumpForResponse(config: SessionConfig, data: SessionData): string | null {
    const keyed = this.keyed.get(config);
    if (!keyed?.cache || !this.codecIsOwn || !keyed.cache.admits()) return this.dumpCookieValue(config, data);
    const text = this.serializer.dumps(data);
    const issuedAt = Math.floor(Date.now() / 1000);
    const value = keyed.sealer.seal(text, issuedAt);
    if (roundTripsThroughUtf8(text, keyed.sealer.maxPayloadSize)) keyed.cache.remember(value, text, issuedAt);
    return value;
  }

  openSession(config: SessionConfig, request: SessionRequest): SecureCookieSession<SessionData> | null {
    const keyed = this.keyed.get(config);
    if (!keyed) return null;
    const name = this.getCookieName(config, request);
    const value = request.getCookie(name);
    if (!value) return new this.sessionClass();
    const cache = keyed.cache && this.codecIsOwn ? keyed.cache : null;
    if (cache) {
      const cached = this.openCached(config, cache, value, this.serializer);
      if (cached) return cached;
    }
    try {
      if (!cache?.admits()) return new this.sessionClass(this.toEntries(this.loadCookieValue(config, value)));
      const { payload, issuedAt } = keyed.sealer.openWithIssueTime(
        value,
        Math.floor(config.PERMANENT_SESSION_LIFETIME),
      );
      const session = new this.sessionClass(this.toEntries(this.parsePayload(payload)));
      cache.remember(value, payload, issuedAt);
      return session;
    } catch (error) {
      if (error instanceof UnsealError && error.reason === 'format') return this.openOtherFormat(config, name, value);
      // Forged, cut, expired or sealed under another key: routine, and any client can send one,
      // so no log line (as a bad signature for signed cookies). Only a key holder seals a
      // payload that then fails to decode: that is worth a warning.
      if (error instanceof UnsealError && error.reason !== 'payload') return new this.sessionClass();
      const reason =
        error instanceof UnsealError ? error.message : `its payload is not a session (${describeDecodeError(error)})`;
      this.logger.warn(`Ignoring the '${name}' cookie: ${reason}. A fresh session was started.`);
      return new this.sessionClass();
    }
  }

  /**
   * A value that is not an encrypted session: with `acceptSignedCookies`, a Flask-signed cookie
   * is migrated. Without it, a fresh session, with a warning pointing at the option only when
   * the value verifies as a signed session cookie of this app (a client cannot forge one).
   */
  private openOtherFormat(config: SessionConfig, name: string, value: string): SecureCookieSession<SessionData> {
    if (this.acceptSignedCookies) return this.openSigned(config, name, value) ?? new this.sessionClass();
    if (this.isSignedByThisApp(config, value)) {
      this.logger.warn(
        `Ignoring the '${name}' cookie: it is a signed session cookie, not an encrypted one. A fresh session was started. ` +
          'If the app used signed cookies until now, see acceptSignedCookies to keep those sessions.',
      );
    }
    return new this.sessionClass();
  }

  private isSignedByThisApp(config: SessionConfig, value: string): boolean {
    try {
      this.signed.loadCookieValue(config, value);
      return true;
    } catch (error) {
      return !(error instanceof BadSignature);
    }
  }

  /**
   * A session from a Flask-signed cookie, marked modified so this response re-writes it
   * encrypted; a fresh one (and a warning) when it verifies but does not decode; null when it
   * does not verify.
   */
  private openSigned(config: SessionConfig, name: string, value: string): SecureCookieSession<SessionData> | null {
    let session: SecureCookieSession<SessionData>;
    try {
      session = new this.sessionClass(this.toEntries(this.signed.loadCookieValue(config, value)));
    } catch (error) {
      if (error instanceof BadSignature) return null;
      this.logger.warn(
        `Ignoring the '${name}' cookie: it is correctly signed but cannot be decoded (${describeDecodeError(error)}). A fresh session was started.`,
      );
      return new this.sessionClass();
    }
    session.modified = true;
    return session;
  }
}
