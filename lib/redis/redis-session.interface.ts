import { randomBytes } from 'node:crypto';
import type { SessionRequest, SessionResponse } from '../http/session-http.js';
import type { SessionConfig } from '../interfaces/session-config.js';
import { SessionStoreUnavailableError } from '../interfaces/session-store-unavailable.error.js';
import { SessionInterface } from '../interfaces/session.interface.js';
import { sessionJsonSerializer } from '../json/tagged-json.serializer.js';
import { isPlainObject } from '../json/python-json.js';
import { Signer } from '../signing/signer.js';
import type { SecretKey } from '../signing/key-derivation.js';
import { connectRedis, type RedisClientLike } from './redis-client.js';
import { RedisSession, type RedisSessionStore } from './redis-session.js';

export interface RedisSessionInterfaceOptions {
  /** A connected client (ioredis `Redis`, `Cluster`, or a Sentinel-backed `Redis`); never closed by us. */
  client?: RedisClientLike;
  /** `redis://...` when no client is given. @default config SESSION_REDIS_URL */
  url?: string;
  /** @default config SESSION_KEY_PREFIX ('session:') */
  prefix?: string;
  /** Seconds a non-permanent session lives after its last write. @default config SESSION_IDLE_TIMEOUT (86400) */
  idleTimeout?: number;
  /** Milliseconds a Redis command may take (only for a client we create). @default 2000 */
  commandTimeout?: number;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side sessions on Redis (Flask-Session's model): the cookie carries a signed random id
 * (256 bits), the data is Flask's tagged JSON under `prefix + id` with a TTL. Flask's rules decide
 * when to write: an unmodified session costs one `GET`; a permanent one refreshes its TTL
 * (`EXPIRE`) when `SESSION_REFRESH_EACH_REQUEST` says so. Writes replace the whole value, so
 * concurrent requests on one session end with the last write, never a mix.
 */
export class RedisSessionInterface extends SessionInterface<RedisSession> implements RedisSessionStore {
  /** Signs the id cookie; distinct from the cookie-session salt so neither passes for the other. */
  salt = 'redis-session-id';
  private client?: RedisClientLike;
  private connecting?: Promise<RedisClientLike>;
  private readonly ownsClient: boolean;
  private signer?: { keys: readonly SecretKey[]; signer: Signer };
  private prefixInUse = 'session:';

  constructor(private readonly options: RedisSessionInterfaceOptions = {}) {
    super();
    this.client = options.client;
    this.ownsClient = !options.client;
  }

  newId(): string {
    return randomBytes(32).toString('base64url');
  }

  async deleteId(id: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.command('deleting', () => client.del(this.prefixInUse + id));
  }

  async openSession(config: SessionConfig, request: SessionRequest): Promise<RedisSession | null> {
    const signer = this.getSigner(config);
    if (!signer) return null;
    const client = await this.getClient(config);
    this.prefixInUse = this.options.prefix ?? config.SESSION_KEY_PREFIX;
    const fresh = () => new RedisSession(null, this.newId(), true, this);
    const cookie = request.getCookie(this.getCookieName(config, request));
    const id = cookie ? this.unsignId(signer, cookie) : null;
    if (!id) return fresh();
    const stored = await this.command('reading', () => client.get(this.prefixInUse + id));
    // Unknown or expired: a new id, never the one the client offered.
    if (stored === null) return fresh();
    try {
      const data = sessionJsonSerializer.loads(stored);
      if (!isPlainObject(data)) throw new TypeError('the stored session is not an object');
      return new RedisSession(Object.entries(data), id, false, this);
    } catch (error) {
      this.logger.warn(`Ignoring the stored session ${this.prefixInUse}${id.slice(0, 8)}…: it cannot be decoded (${String(error)}). A fresh session was started.`);
      return fresh();
    }
  }

  async saveSession(config: SessionConfig, session: RedisSession, response: SessionResponse): Promise<void> {
    const attributes = this.getCookieAttributes(config, response.request);
    const { name } = attributes;
    const client = await this.getClient(config);
    const key = this.prefixInUse + session.id;

    if (session.accessed) response.addVary('Cookie');

    if (session.size === 0) {
      if (session.modified || session.destroyed) {
        if (!session.new) await this.command('deleting', () => client.del(key));
        response.deleteCookie(name, attributes);
        response.addVary('Cookie');
      }
      return;
    }

    if (!this.shouldSetCookie(config, session)) return;

    const ttl = Math.ceil(session.permanent ? config.PERMANENT_SESSION_LIFETIME : (this.options.idleTimeout ?? config.SESSION_IDLE_TIMEOUT));
    if (session.modified || session.new) {
      const value = sessionJsonSerializer.dumps(session.toJSON());
      await this.command('writing', () => client.set(key, value, 'EX', ttl));
    } else {
      await this.command('refreshing', () => client.expire(key, ttl));
    }
    const signed = this.getSigner(config)!.sign(session.id);
    const expires = this.getExpirationTime(config, session);
    this.setSessionCookie(config, response, name, signed, { ...attributes, expires });
    response.addVary('Cookie');
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

  private unsignId(signer: Signer, cookie: string): string | null {
    if (!signer.validate(cookie)) return null;
    const id = signer.unsign(cookie);
    return ID_PATTERN.test(id) ? id : null;
  }

  private getSigner(config: SessionConfig): Signer | null {
    if (!config.SECRET_KEY || config.SECRET_KEY.length === 0) return null;
    const keys = [...(config.SECRET_KEY_FALLBACKS ?? []), config.SECRET_KEY];
    const cached = this.signer;
    if (cached && cached.keys.length === keys.length && cached.keys.every((key, i) => key === keys[i])) return cached.signer;
    const signer = new Signer(keys, { salt: this.salt, keyDerivation: 'hmac', digestMethod: 'sha256' });
    this.signer = { keys, signer };
    return signer;
  }

  private async getClient(config: SessionConfig): Promise<RedisClientLike> {
    if (this.client) return this.client;
    const url = this.options.url ?? config.SESSION_REDIS_URL;
    if (!url) {
      throw new Error('RedisSessionInterface needs a Redis client or URL: set SESSION_REDIS_URL, or pass { client } or { url }.');
    }
    this.connecting ??= connectRedis(url, { commandTimeout: this.options.commandTimeout ?? 2000 });
    this.client = await this.connecting;
    return this.client;
  }

  private async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new SessionStoreUnavailableError(
        `The session store (Redis) is unavailable: ${action} failed (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
  }
}
