import { randomBytes } from 'node:crypto';
import type { SessionRequest } from '../sessions/session-http.js';
import type { SessionConfig } from '../config/session-config.js';
import { SessionConfigError } from '../config/session-config.error.js';
import type { RedisClientLike } from '../redis/redis-client.js';
import {
  RedisSessionInterface,
  type CookieId,
  type RedisSessionInterfaceOptions,
} from '../redis/redis-session.interface.js';
import type { RedisSession } from '../redis/redis-session.js';
import type { SessionData } from '../sessions/session-data.js';
import type { DigestMethod } from '../itsdangerous/key-derivation.js';
import { isFlaskSessionRedisClient, type FlaskSessionRedisClientLike } from './flask-session-redis-client.js';
import { FlaskSessionRedisSession } from './flask-session-redis-session.js';
import { MsgspecSerializer } from './msgspec-serializer.js';

export interface FlaskSessionRedisInterfaceOptions extends Omit<
  RedisSessionInterfaceOptions,
  'client' | 'idleTimeout'
> {
  /** A connected client with `getBuffer` (ioredis `Redis` or `Cluster`); never closed by us. */
  client?: FlaskSessionRedisClientLike;
}

/**
 * What `secrets.token_urlsafe` produces, at any length (Flask apps may have changed
 * `SESSION_ID_LENGTH` over time); anything else in the cookie is not looked up at all.
 */
const SID_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Flask-Session 0.8's Redis sessions (`SESSION_TYPE = "redis"`), shared with a Flask app: the
 * cookie holds the bare id (`secrets.token_urlsafe(SESSION_ID_LENGTH)`), or the id signed by
 * itsdangerous' `Signer(SECRET_KEY, salt="flask-session", key_derivation="hmac")` with
 * `SESSION_USE_SIGNER`; Redis holds `dict(session)` as msgspec writes it (MessagePack or JSON)
 * under `SESSION_KEY_PREFIX + id`, with `PERMANENT_SESSION_LIFETIME` as TTL. New sessions are
 * permanent when `SESSION_PERMANENT` is on, stored in the data as `_permanent`.
 *
 * Flask-Session's rules decide when to write (`should_set_storage`: modified, or every request
 * with `SESSION_REFRESH_EACH_REQUEST`) and when to set the cookie (Flask's `should_set_cookie`);
 * the Redis interface's rules make it safe where Flask-Session is not: an unmodified session's TTL
 * is refreshed with `EXPIRE` rather than rewritten, a session read from Redis is rewritten only if
 * it still exists (`SET ... XX`) and a `clear()` or key-dropping logout moves what is left to a
 * new id, so a logout sticks against requests in flight here; an unknown id is never adopted, and
 * an empty `SESSION_KEY_PREFIX` is refused for bare ids. `regenerate()`, `destroy()`,
 * `regenerateOnChange`, `logoutKeys` and outages (503) work as there.
 */
export class FlaskSessionRedisInterface extends RedisSessionInterface {
  /** Flask-Session's signer salt for `SESSION_USE_SIGNER`. */
  override salt = 'flask-session';
  /** itsdangerous' default, which Flask-Session's signer keeps. */
  protected override digestMethod: DigestMethod = 'sha1';
  private idLength = 32;
  private serializer?: MsgspecSerializer;

  private readonly prefixOption: string | undefined;

  constructor(options: FlaskSessionRedisInterfaceOptions = {}) {
    super(options);
    this.prefixOption = options.prefix;
  }

  /** `secrets.token_urlsafe(SESSION_ID_LENGTH)`: that many random bytes, base64url without padding. */
  override newId(): string {
    return randomBytes(this.idLength).toString('base64url');
  }

  /** Refuses an empty key prefix for bare ids, see {@link assertIdsStayInPrefix}. */
  override checkConfig(config: SessionConfig): void {
    super.checkConfig(config);
    this.assertIdsStayInPrefix(config);
  }

  override async openSession(config: SessionConfig, request: SessionRequest): Promise<RedisSession | null> {
    this.assertIdsStayInPrefix(config);
    this.idLength = config.SESSION_ID_LENGTH;
    if (this.serializer?.format !== config.SESSION_SERIALIZATION_FORMAT) {
      this.serializer = await MsgspecSerializer.create(config.SESSION_SERIALIZATION_FORMAT);
    }
    return super.openSession(config, request);
  }

  /** A fresh session holds at most `_permanent`, which Flask-Session counts as empty: saving it stores nothing. */
  protected override get shippedPrototype(): RedisSessionInterface {
    return FlaskSessionRedisInterface.prototype;
  }

  /**
   * Without `SESSION_USE_SIGNER` the cookie names the Redis key itself (`prefix + cookie`): with an
   * empty prefix a client could name any key of the database (an app's cache entry, a counter)
   * and have it read as a session, and a save would overwrite it and give it a TTL. A non-empty
   * prefix keeps every lookup inside it, since an id never holds `:` or any character outside
   * base64url. (Signed ids are safe with any prefix: only ids this app issued verify.)
   */
  private assertIdsStayInPrefix(config: SessionConfig): void {
    if (config.SESSION_USE_SIGNER) return;
    const fromOption = this.prefixOption !== undefined;
    if ((this.prefixOption ?? config.SESSION_KEY_PREFIX) !== '') return;
    throw new SessionConfigError(
      fromOption ? 'FlaskSessionRedisInterface({ prefix })' : 'SESSION_KEY_PREFIX',
      "is empty: Flask-Session's cookie holds the bare id, so any client could name any Redis key and have it read (and overwritten) as a session. " +
        "Keep Flask-Session's default 'session:' or another prefix that only sessions use (on both apps).",
    );
  }

  /** Without `SESSION_USE_SIGNER` no key is involved, as in Flask-Session. */
  override requiresSecretKey(config: SessionConfig): boolean {
    return config.SESSION_USE_SIGNER;
  }

  protected override sessionsEnabled(config: SessionConfig): boolean {
    return !config.SESSION_USE_SIGNER || super.sessionsEnabled(config);
  }

  protected override idFromCookie(config: SessionConfig, cookie: string): CookieId | null {
    if (config.SESSION_USE_SIGNER) return super.idFromCookie(config, cookie);
    return this.isWellFormedId(cookie) ? { id: cookie, current: true } : null;
  }

  protected override isWellFormedId(id: string): boolean {
    return SID_PATTERN.test(id);
  }

  protected override cookieValueFor(config: SessionConfig, session: RedisSession): string {
    return config.SESSION_USE_SIGNER ? super.cookieValueFor(config, session) : session.id;
  }

  protected override createSession(
    config: SessionConfig,
    entries: Iterable<readonly [string, unknown]> | null,
    id: string,
    isNew: boolean,
  ): RedisSession {
    return new FlaskSessionRedisSession(entries, id, isNew, this, config.SESSION_PERMANENT);
  }

  protected override async getClient(config: SessionConfig): Promise<FlaskSessionRedisClientLike> {
    const client = await super.getClient(config);
    if (!isFlaskSessionRedisClient(client)) {
      throw new TypeError(
        'FlaskSessionRedisInterface needs a Redis client with getBuffer() (ioredis), as MessagePack sessions are bytes.',
      );
    }
    return client;
  }

  protected override readStored(client: RedisClientLike, key: string): Promise<Buffer | null> {
    return (client as FlaskSessionRedisClientLike).getBuffer(key);
  }

  protected override decodeSession(stored: string | Buffer): SessionData {
    return this.getSerializer().decode(typeof stored === 'string' ? Buffer.from(stored, 'utf8') : stored);
  }

  protected override encodeSession(session: RedisSession): Buffer {
    return this.getSerializer().encode(session.toJSON());
  }

  protected override comparableForm(value: unknown): string {
    return this.getSerializer().encode({ value }).toString('base64');
  }

  /** Flask-Session's `not session`: no data, or only `_permanent`. */
  protected override isEmptySession(session: RedisSession): boolean {
    return session instanceof FlaskSessionRedisSession ? session.isEmpty : session.size === 0;
  }

  /** Flask-Session's `should_set_storage`: modified, or on every request with `SESSION_REFRESH_EACH_REQUEST`. */
  protected override shouldSetStorage(config: SessionConfig, session: RedisSession): boolean {
    return session.modified || config.SESSION_REFRESH_EACH_REQUEST;
  }

  /** Always `PERMANENT_SESSION_LIFETIME` in whole seconds, permanent or not, as Flask-Session. */
  protected override getStorageTtl(config: SessionConfig): number {
    return Math.trunc(config.PERMANENT_SESSION_LIFETIME);
  }

  private getSerializer(): MsgspecSerializer {
    if (!this.serializer) throw new Error('FlaskSessionRedisInterface: a session is saved before any was opened');
    return this.serializer;
  }
}
