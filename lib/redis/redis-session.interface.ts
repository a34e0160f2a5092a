import { createHash, randomBytes } from 'node:crypto';
import type { SessionLogger, SessionRequest, SessionResponse } from '../sessions/session-http.js';
import type { SessionConfig } from '../config/session-config.js';
import { SessionStoreUnavailableError } from '../sessions/session-store-unavailable.error.js';
import { SessionInterface } from '../sessions/session.interface.js';
import { describeDecodeError } from '../sessions/describe-decode-error.js';
import { PerKeyCache } from '../config/per-key-cache.js';
import { sessionJsonSerializer } from '../tagged-json/tagged-json.serializer.js';
import type { SessionData } from '../sessions/session-data.js';
import { isPlainObject } from '../tagged-json/python-json.js';
import { BadSignature } from '../itsdangerous/errors.js';
import { Signer } from '../itsdangerous/signer.js';
import type { DigestMethod } from '../itsdangerous/key-derivation.js';
import { connectRedis, type RedisClientLike } from './redis-client.js';
import { RedisSession, type RedisSessionStore } from './redis-session.js';
import { resolveRedisTarget } from '../config/redis-topology.config.js';

export interface RedisSessionInterfaceOptions {
  /**
   * A connected client (ioredis `Redis`, `Cluster`, or a Sentinel-backed `Redis`); never closed by
   * us. Without it the interface connects to `url`, else to what the config names:
   * `SESSION_REDIS_URL`, `SESSION_REDIS_CLUSTER_NODES` or `SESSION_REDIS_SENTINELS`.
   */
  client?: RedisClientLike;
  /** `redis://...` when no client is given. @default config SESSION_REDIS_URL */
  url?: string;
  /** @default config SESSION_KEY_PREFIX ('session:') */
  prefix?: string;
  /** Seconds a non-permanent session lives after its last write. @default config SESSION_IDLE_TIMEOUT (86400) */
  idleTimeout?: number;
  /** Milliseconds a Redis command may take before the request answers 503 (for an injected client too). @default 2000 */
  commandTimeout?: number;
  /**
   * Session keys whose change gives the session a new id when it is saved, as `regenerate()`
   * would: `['user_id']` rotates the id at every login, logout or user switch, so an id planted
   * before login (session fixation) is worthless after it. @default [] (call `regenerate()` yourself)
   */
  regenerateOnChange?: readonly string[];
  /**
   * Session keys whose removal is a logout (Flask-Login's `logout_user()` pops `_user_id` and
   * keeps the rest). A save of a stored session that finds one of them gone (or set to null)
   * moves what is left to a new id and deletes the old key, as `clear()` does, so a request that
   * read the session before the logout cannot write it back. `[]` turns this off.
   * @default ['_user_id', 'user_id'] (Flask-Login's key and the usual hand-written one)
   */
  logoutKeys?: readonly string[];
}

/** Flask-Login's `_user_id` and the `user_id` of Flask's tutorial and most hand-written logins. */
export const DEFAULT_LOGOUT_KEYS: readonly string[] = ['_user_id', 'user_id'];

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The cookie a session was opened with, when it is signed with the current key: saving reuses it. */
const CURRENT_COOKIE = Symbol('nest-flask-session.currentIdCookie');

/** The stored form of each `regenerateOnChange` key when the session was read. */
const WATCHED_VALUES = Symbol('nest-flask-session.watchedValues');

/** The `logoutKeys` the session held when it was read. */
const LOGIN_KEYS = Symbol('nest-flask-session.loginKeys');

type OpenedSession = RedisSession & {
  [CURRENT_COOKIE]?: { id: string; cookie: string };
  [WATCHED_VALUES]?: Array<string | undefined>;
  [LOGIN_KEYS]?: string[];
};

/** An id taken from a cookie, and whether the current key signed it (its cookie can be reused). */
export interface CookieId {
  id: string;
  current: boolean;
}

interface IdSigners {
  /** Signs, and verifies first. */
  current: Signer;
  /** Verifies cookies signed before a key rotation; null without `SECRET_KEY_FALLBACKS`. */
  fallbacks: Signer | null;
}

/**
 * Server-side sessions on Redis (Flask-Session's model): the cookie carries a signed random id
 * (256 bits), the data is Flask's tagged JSON under `prefix + id` with a TTL. Flask's rules decide
 * when to write: an unmodified session costs one `GET`; a permanent one refreshes its TTL
 * (`EXPIRE`) when `SESSION_REFRESH_EACH_REQUEST` says so. Writes replace the whole value, so
 * concurrent requests on one session end with the last write, never a mix. A session read from
 * Redis is only ever rewritten if its key still exists (`SET ... XX`, `EXPIRE`), and a logout
 * that leaves data behind (`clear()` then a flash, or a dropped `logoutKeys` key) moves that data
 * to a new id and deletes the old key: a request that was in flight during a logout cannot bring
 * the session back, and its response sends no cookie.
 */
export class RedisSessionInterface extends SessionInterface<RedisSession> implements RedisSessionStore {
  /** Signs the id cookie; distinct from the cookie-session salt so neither passes for the other. */
  salt = 'redis-session-id';
  /** The id cookie's HMAC digest. */
  protected digestMethod: DigestMethod = 'sha256';
  private client?: RedisClientLike;
  private connecting?: Promise<RedisClientLike>;
  private readonly ownsClient: boolean;
  private readonly signers = new PerKeyCache<IdSigners>((secretKey, fallbackKeys) => {
    const options = { salt: this.salt, keyDerivation: 'hmac', digestMethod: this.digestMethod } as const;
    return {
      current: new Signer(secretKey, options),
      fallbacks: fallbackKeys.length ? new Signer(fallbackKeys, options) : null,
    };
  });
  private prefixInUse = 'session:';
  private connectionDown = false;

  constructor(private readonly options: RedisSessionInterfaceOptions = {}) {
    super();
    this.client = options.client;
    this.ownsClient = !options.client;
  }

  newId(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Deletes a session's key; true when it still existed. */
  async deleteId(id: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    return Number(await this.command('deleting', () => client.del(this.prefixInUse + id))) > 0;
  }

  async openSession(config: SessionConfig, request: SessionRequest): Promise<RedisSession | null> {
    if (!this.sessionsEnabled(config)) return null;
    const client = await this.getClient(config);
    this.prefixInUse = this.options.prefix ?? config.SESSION_KEY_PREFIX;
    const fresh = () => this.createSession(config, null, this.newId(), true);
    const cookie = request.getCookie(this.getCookieName(config, request));
    const verified = cookie ? this.idFromCookie(config, cookie) : null;
    if (!verified) return fresh();
    const { id } = verified;
    const stored = await this.command('reading', () => this.readStored(client, this.prefixInUse + id));
    // Unknown or expired: a new id, never the one the client offered.
    if (stored === null) return fresh();
    try {
      const data = this.decodeSession(stored);
      const session: OpenedSession = this.createSession(config, Object.entries(data), id, false);
      if (verified.current) session[CURRENT_COOKIE] = { id, cookie: cookie! };
      if (this.options.regenerateOnChange?.length) session[WATCHED_VALUES] = this.watchedValues(session);
      const loginKeys = this.logoutKeys.filter((key) => session.get(key) != null);
      if (loginKeys.length) session[LOGIN_KEYS] = loginKeys;
      return session;
    } catch (error) {
      // The id is a bearer secret: the log names the entry by a hash of it, never by the id itself.
      const entry = createHash('sha256').update(id).digest('hex').slice(0, 16);
      this.logger.warn(
        `Ignoring a stored session (${this.prefixInUse}…, id hash ${entry}): it cannot be decoded (${describeDecodeError(error)}). A fresh session was started.`,
      );
      return fresh();
    }
  }

  /**
   * A request without a session cookie opens a fresh, empty session, which saving leaves alone
   * (nothing is stored and no cookie is set): such a request is not opened at all. With a cookie,
   * or when a subclass opens or saves differently, it is (Flask-Session refreshes permanent ones).
   */
  override mustOpenToSave(config: SessionConfig, request: SessionRequest): boolean {
    if (!this.freshSessionsStayUnsaved) return true;
    return Boolean(request.getCookie(this.getCookieName(config, request)));
  }

  /** True while opening, creating and saving sessions are the shipped class's own (no subclass replaced them). */
  private get freshSessionsStayUnsaved(): boolean {
    const own = this.shippedPrototype;
    return (
      this.openSession === own.openSession &&
      this.createSession === own.createSession &&
      this.saveSession === own.saveSession &&
      this.isEmptySession === own.isEmptySession
    );
  }

  /** The prototype of the shipped class this one is or extends, whose methods {@link mustOpenToSave} vouches for. */
  protected get shippedPrototype(): RedisSessionInterface {
    return RedisSessionInterface.prototype;
  }

  async saveSession(config: SessionConfig, session: RedisSession, response: SessionResponse): Promise<void> {
    const attributes = this.getCookieAttributes(config, response.request);
    const { name } = attributes;
    // A regenerate() or destroy() of this request failed: the session is left unsaved.
    if (session.storeFailure) throw session.storeFailure;
    const client = await this.getClient(config);

    if (session.accessed) response.addVary('Cookie');

    if (this.isEmptySession(session)) {
      if (session.modified || session.destroyed) {
        if (this.isStored(session)) await this.command('deleting', () => client.del(this.prefixInUse + session.id));
        response.deleteCookie(name, attributes);
        response.addVary('Cookie');
      }
      return;
    }

    if (!this.shouldSetStorage(config, session)) return;

    if (session.modified && this.isStored(session) && (this.isLogout(session) || this.watchedKeyChanged(session))) {
      // A new id for what is left, the old key deleted first: a request that read the session
      // before now finds nothing to rewrite (SET ... XX), so it cannot undo a logout.
      await session.regenerate();
      // The key was already gone: a logout elsewhere since this request read it, which wins.
      if (this.isEmptySession(session)) {
        response.deleteCookie(name, attributes);
        response.addVary('Cookie');
        return;
      }
    }
    const key = this.prefixInUse + session.id;
    const ttl = this.getStorageTtl(config, session);
    if (ttl <= 0) {
      // PERMANENT_SESSION_LIFETIME 0: the session expires at once, as its cookie would (Redis refuses EX 0).
      if (this.isStored(session)) await this.command('deleting', () => client.del(key));
      response.deleteCookie(name, attributes);
      response.addVary('Cookie');
      return;
    }
    if (!this.isStored(session)) {
      // A new id (a new session, or after regenerate() or destroy()): nobody else knows it yet.
      const value = this.encodeSession(session);
      await this.command('writing', () => client.set(key, value, 'EX', ttl));
    } else if (session.modified) {
      // Rewrite only what still exists: a logout since this request read the session wins.
      const value = this.encodeSession(session);
      if ((await this.command('writing', () => client.set(key, value, 'EX', ttl, 'XX'))) === null) return;
    } else if ((await this.command('refreshing', () => client.expire(key, ttl))) === 0) {
      return;
    }
    if (!this.shouldSetCookie(config, session)) return;
    const expires = this.getExpirationTime(config, session);
    this.setSessionCookie(config, response, name, this.cookieValueFor(config, session), { ...attributes, expires });
    response.addVary('Cookie');
  }

  /**
   * Whether the save writes the session or refreshes its TTL: when the cookie is set (Flask's
   * rule), as the TTL and the cookie's expiry go together.
   */
  protected shouldSetStorage(config: SessionConfig, session: RedisSession): boolean {
    return this.shouldSetCookie(config, session);
  }

  /** Whether requests get sessions: signing the id needs a `SECRET_KEY`; without one, a null session. */
  protected sessionsEnabled(config: SessionConfig): boolean {
    return this.getSigners(config) !== null;
  }

  /** The id a cookie names, if its signature checks out and the id is well formed. */
  protected idFromCookie(config: SessionConfig, cookie: string): CookieId | null {
    const id = this.unsignId(this.getSigners(config)!, cookie);
    return id && this.isWellFormedId(id.id) ? id : null;
  }

  protected isWellFormedId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  /** The cookie for the session's id: the signed id. */
  protected cookieValueFor(config: SessionConfig, session: RedisSession): string {
    // The id cookie is deterministic: one that came in signed with the current key is reused.
    const current = (session as OpenedSession)[CURRENT_COOKIE];
    return current?.id === session.id ? current.cookie : this.getSigners(config)!.current.sign(session.id);
  }

  protected createSession(
    _config: SessionConfig,
    entries: Iterable<readonly [string, unknown]> | null,
    id: string,
    isNew: boolean,
  ): RedisSession {
    return new RedisSession(entries, id, isNew, this);
  }

  protected readStored(client: RedisClientLike, key: string): Promise<string | Buffer | null> {
    return client.get(key);
  }

  /** The stored data of a session, Flask's tagged JSON; throws when it cannot be read. */
  protected decodeSession(stored: string | Buffer): SessionData {
    const data = sessionJsonSerializer.loads(typeof stored === 'string' ? stored : stored.toString('utf8'));
    if (!isPlainObject(data)) throw new TypeError('the stored session is not an object');
    return data;
  }

  protected encodeSession(session: RedisSession): string | Buffer {
    return sessionJsonSerializer.dumps(session.toJSON());
  }

  /** A value as stored, to tell whether a `regenerateOnChange` key changed. */
  protected comparableForm(value: unknown): string {
    return sessionJsonSerializer.dumps(value);
  }

  /** A session with no data is not stored (an emptied one is deleted, with its cookie). */
  protected isEmptySession(session: RedisSession): boolean {
    return session.size === 0;
  }

  /** Seconds the stored session lives: `PERMANENT_SESSION_LIFETIME` if permanent, else the idle timeout. */
  protected getStorageTtl(config: SessionConfig, session: RedisSession): number {
    return Math.ceil(
      session.permanent ? config.PERMANENT_SESSION_LIFETIME : (this.options.idleTimeout ?? config.SESSION_IDLE_TIMEOUT),
    );
  }

  /** Quits a client this interface created; Nest calls it on shutdown (enableShutdownHooks). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (client && this.ownsClient) await client.quit().catch(() => undefined);
  }

  /**
   * The id in a cookie whose signature checks out, and whether the current key signed it. Keys
   * are tried newest first (one HMAC each), as itsdangerous does; null for anything else.
   */
  private unsignId(signers: IdSigners, cookie: string): CookieId | null {
    const current = unsignOrNull(signers.current, cookie);
    const id = current ?? (signers.fallbacks ? unsignOrNull(signers.fallbacks, cookie) : null);
    return id !== null ? { id, current: current !== null } : null;
  }

  /** True while the session still has the id it was read under (no regenerate() or destroy() since). */
  private isStored(session: RedisSession): boolean {
    return session.storedId !== null && session.storedId === session.id;
  }

  private get logoutKeys(): readonly string[] {
    return this.options.logoutKeys ?? DEFAULT_LOGOUT_KEYS;
  }

  /** A logout that leaves data behind: `clear()` of the stored session, or a login key dropped. */
  private isLogout(session: OpenedSession): boolean {
    if (session.cleared) return true;
    return (session[LOGIN_KEYS] ?? []).some((key) => session.get(key) == null);
  }

  private watchedValues(session: RedisSession): Array<string | undefined> {
    return this.options.regenerateOnChange!.map((key) =>
      session.has(key) ? this.comparableForm(session.get(key)) : undefined,
    );
  }

  private watchedKeyChanged(session: OpenedSession): boolean {
    const before = session[WATCHED_VALUES];
    if (!before) return false;
    const after = this.watchedValues(session);
    return after.some((value, index) => value !== before[index]);
  }

  private getSigners(config: SessionConfig): IdSigners | null {
    return this.signers.get(config);
  }

  protected async getClient(config: SessionConfig): Promise<RedisClientLike> {
    if (this.client) return this.client;
    const target = this.options.url ?? resolveRedisTarget(config);
    if (!target) {
      throw new Error(
        `${this.constructor.name} needs a Redis client or address: set SESSION_REDIS_URL, SESSION_REDIS_CLUSTER_NODES or SESSION_REDIS_SENTINELS, or pass { client } or { url }.`,
      );
    }
    this.connecting ??= connectRedis(target, {
      commandTimeout: this.commandTimeout,
      onConnectionEvent: (event, error) => this.onConnectionEvent(event, error),
    });
    this.client = await this.connecting;
    return this.client;
  }

  /**
   * The client's connection errors, logged once per outage (ioredis reports every reconnection
   * attempt, every 2 s at most): requests log their own 503s, see the Nest layer.
   */
  private onConnectionEvent(event: 'error' | 'ready', error?: Error): void {
    if (event === 'error') {
      if (this.connectionDown) return;
      this.connectionDown = true;
      this.logger.warn(
        `${this.constructor.name}: the connection to Redis failed (${error?.message ?? 'unknown error'}); reconnecting in the background. ` +
          'Requests that need the session store answer 503 until it is back. Logged once per outage.',
      );
    } else if (this.connectionDown) {
      this.connectionDown = false;
      const logger = this.logger as SessionLogger & { log?: (message: string) => void };
      (logger.log ?? logger.warn).call(logger, `${this.constructor.name}: the connection to Redis is back.`);
    }
  }

  private get commandTimeout(): number {
    return this.options.commandTimeout ?? 2000;
  }

  /**
   * Runs one command; any failure, or no answer within `commandTimeout` whatever the client
   * (a Cluster's offline queue or an injected client without a timeout would wait longer), is a
   * SessionStoreUnavailableError: a 503, never a 500 and never an empty session.
   */
  protected async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.commandTimeout} ms`)), this.commandTimeout);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      throw new SessionStoreUnavailableError(
        `The session store (Redis) is unavailable: ${action} failed (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The value of a correctly signed cookie, or null when its signature does not check out. */
function unsignOrNull(signer: Signer, cookie: string): string | null {
  try {
    return signer.unsign(cookie);
  } catch (error) {
    if (error instanceof BadSignature) return null;
    throw error;
  }
}
