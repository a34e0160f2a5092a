import type { SessionRequest } from './session-http.js';
import type { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import {
  base64UrlDecode,
  BadSignature,
  bytesToInt,
  URLSafeTimedSerializer,
  type DigestMethod,
  type KeyDerivation,
  type TextSerializer,
} from '../itsdangerous/index.js';
import { CookieSessionInterface, type CookieSessionInterfaceOptions } from './cookie-session.interface.js';
import { describeDecodeError } from './describe-decode-error.js';
import { PerKeyCache } from '../config/per-key-cache.js';
import type { SessionConfig } from '../config/session-config.js';
import {
  mayHoldPermanentKey,
  roundTripsThroughUtf8,
  TextRecorder,
  VerifiedCookieCache,
} from './verified-cookie-cache.js';

/** What the interface derives from one key set: the signing serializer, and the cache of what it verified. */
interface Keyed {
  serializer: URLSafeTimedSerializer;
  /** The serializer's text serializer, recording the payload text of each cookie it verifies or makes. */
  recorder: TextRecorder;
  cache: VerifiedCookieCache | null;
}

/** Options of {@link SecureCookieSessionInterface}. */
export type SecureCookieSessionOptions = CookieSessionInterfaceOptions;

/** Hands a payload's text through as it is, for a look at a payload without decoding it. */
const rawText: TextSerializer = { dumps: (value) => String(value), loads: (text) => text };

/** The signed timestamp of a value the signer made (`payload.timestamp.signature`), in Unix seconds. */
function signedTimestampOf(value: string): number | null {
  const end = value.lastIndexOf('.');
  const start = value.lastIndexOf('.', end - 1);
  if (start < 0) return null;
  const timestamp = bytesToInt(base64UrlDecode(value.slice(start + 1, end)));
  return typeof timestamp === 'number' ? timestamp : null;
}

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
  private readonly keyed = new PerKeyCache((secretKey, fallbacks): Keyed => {
    const recorder = new TextRecorder(this.serializer);
    const cache = this.verifiedCacheBytes > 0 ? new VerifiedCookieCache(this.verifiedCacheBytes) : null;
    const serializer = new URLSafeTimedSerializer([...fallbacks, secretKey], {
      salt: this.salt,
      serializer: cache ? recorder : this.serializer,
      keyDerivation: this.keyDerivation,
      digestMethod: this.digestMethod,
    });
    return { serializer, recorder, cache };
  });

  constructor(options: SecureCookieSessionOptions = {}) {
    super(options);
  }

  /** The signer for this config (`SECRET_KEY` signs, fallbacks verify), or null without a key. */
  getSigningSerializer(config: SessionConfig): URLSafeTimedSerializer | null {
    return this.keyed.get(config)?.serializer ?? null;
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

  protected override get opensOwnFormat(): boolean {
    return this.codecIsOwn && this.openSession === SecureCookieSessionInterface.prototype.openSession;
  }

  /** The cache serves `openSession` only while the cookie codec is this class's own. */
  private get codecIsOwn(): boolean {
    return (
      this.loadCookieValue === SecureCookieSessionInterface.prototype.loadCookieValue &&
      this.dumpCookieValue === SecureCookieSessionInterface.prototype.dumpCookieValue
    );
  }

  /**
   * From the cached text when the value is cached; otherwise, with the cache on, true (opening
   * verifies it and caches it for the next request), and with it off, from the payload read
   * without verification (base64, inflate).
   */
  protected override mayBePermanent(config: SessionConfig, value: string): boolean {
    if (!this.codecIsOwn) return true;
    const keyed = this.keyed.get(config);
    if (!keyed) return false;
    if (keyed.cache) {
      const text = keyed.cache.peek(value);
      return text === undefined || mayHoldPermanentKey(text);
    }
    const end = value.lastIndexOf('.');
    const payloadEnd = value.lastIndexOf('.', end - 1);
    if (payloadEnd < 0) return true;
    try {
      return mayHoldPermanentKey(keyed.serializer.loadPayload(value.slice(0, payloadEnd), rawText) as string);
    } catch {
      return true; // opening says what is wrong with it
    }
  }

  protected override dumpForResponse(config: SessionConfig, data: SessionData): string | null {
    const keyed = this.keyed.get(config);
    if (!keyed?.cache || !this.codecIsOwn || !keyed.cache.admits()) return this.dumpCookieValue(config, data);
    keyed.recorder.reset();
    const value = keyed.serializer.dumps(data);
    const text = keyed.recorder.lastText;
    const issuedAt = signedTimestampOf(value);
    if (text !== undefined && issuedAt !== null && roundTripsThroughUtf8(text, keyed.serializer.maxPayloadSize)) {
      keyed.cache.remember(value, text, issuedAt);
    }
    return value;
  }

  openSession(config: SessionConfig, request: SessionRequest): SecureCookieSession<SessionData> | null {
    const keyed = this.keyed.get(config);
    if (!keyed) return null;
    const value = request.getCookie(this.getCookieName(config, request));
    if (!value) return new this.sessionClass();
    const cache = keyed.cache && this.codecIsOwn ? keyed.cache : null;
    if (cache) {
      const cached = this.openCached(config, cache, value, keyed.recorder.inner);
      if (cached) return cached;
    }
    try {
      if (!cache?.admits()) return new this.sessionClass(this.toEntries(this.loadCookieValue(config, value)));
      keyed.recorder.reset();
      const loaded = keyed.serializer.loadsWithTimestamp(value, {
        maxAge: Math.floor(config.PERMANENT_SESSION_LIFETIME),
      });
      const session = new this.sessionClass(this.toEntries(loaded.value));
      const text = keyed.recorder.lastText;
      if (text !== undefined) cache.remember(value, text, Math.floor(loaded.timestamp.getTime() / 1000));
      return session;
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
