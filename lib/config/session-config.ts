/**
 * The session-related subset of Flask's `app.config`, one resolved object per application.
 * Keys keep Flask's names so that `.env` files and `ConfigService` lookups read the same as a
 * Flask deployment's configuration.
 */
export interface SessionConfig {
  /** Signs new cookies. A falsy key disables sessions (every request gets a null session). */
  SECRET_KEY: string | Buffer | null;
  /** Older keys that still verify, most recent first (Flask 3.1.1+ order). */
  SECRET_KEY_FALLBACKS: ReadonlyArray<string | Buffer> | null;
  /** @default 'session' */
  SESSION_COOKIE_NAME: string;
  /** @default null (no Domain attribute) */
  SESSION_COOKIE_DOMAIN: string | null;
  /** Falls back to `APPLICATION_ROOT` when falsy. @default null */
  SESSION_COOKIE_PATH: string | null;
  /** @default true */
  SESSION_COOKIE_HTTPONLY: boolean;
  /** @default false */
  SESSION_COOKIE_SECURE: boolean;
  /** `'Strict'`, `'Lax'` or `'None'` (any case), or null for no attribute. @default null */
  SESSION_COOKIE_SAMESITE: string | null;
  /** CHIPS partitioned cookie; implies Secure. @default false */
  SESSION_COOKIE_PARTITIONED: boolean;
  /** Seconds. Used for `Expires` of permanent sessions and as the max age of every cookie. @default 2678400 (31 days) */
  PERMANENT_SESSION_LIFETIME: number;
  /** Re-sign permanent sessions on every response. @default true */
  SESSION_REFRESH_EACH_REQUEST: boolean;
  /** @default '/' */
  APPLICATION_ROOT: string;
  /** Size above which a Set-Cookie header triggers the oversize policy; 0 disables it. @default 4093 */
  MAX_COOKIE_SIZE: number;
  /**
   * What a session cookie over `MAX_COOKIE_SIZE` does: `'warn'` logs and still sends it (Flask),
   * `'error'` fails the request before headers go out. @default 'warn'
   */
  SESSION_COOKIE_SIZE_POLICY: 'warn' | 'error';
  /** Server-side sessions: the Redis URL (`redis://...`) when no client is injected. @default null */
  SESSION_REDIS_URL: string | null;
  /** Server-side sessions: prefix of every Redis key (Flask-Session's name). @default 'session:' */
  SESSION_KEY_PREFIX: string;
  /** Server-side sessions: seconds a non-permanent session lives without requests. @default 86400 */
  SESSION_IDLE_TIMEOUT: number;
  /** Flask-Session: whether new sessions are permanent (`_permanent` in the data). @default true */
  SESSION_PERMANENT: boolean;
  /** Flask-Session: random bytes in a new session id (`secrets.token_urlsafe`), 16 or more. @default 32 */
  SESSION_ID_LENGTH: number;
  /** Flask-Session: how session data is written; both are read. @default 'msgpack' */
  SESSION_SERIALIZATION_FORMAT: 'msgpack' | 'json';
  /** Flask-Session (deprecated there): sign the id cookie with `SECRET_KEY`. @default false */
  SESSION_USE_SIGNER: boolean;
  /** Server-side sessions on a Redis Cluster: seed nodes, `host:port` each (env: comma-separated). @default null */
  SESSION_REDIS_CLUSTER_NODES: ReadonlyArray<string> | null;
  /** Server-side sessions behind Redis Sentinel: the sentinels, `host:port` each (env: comma-separated). @default null */
  SESSION_REDIS_SENTINELS: ReadonlyArray<string> | null;
  /** Server-side sessions behind Redis Sentinel: the monitored master's name. @default null */
  SESSION_REDIS_SENTINEL_MASTER: string | null;
}

/** Flask's defaults (`flask.app.Flask.default_config`) for the keys above. */
export const DEFAULT_SESSION_CONFIG: Readonly<SessionConfig> = Object.freeze({
  SECRET_KEY: null,
  SECRET_KEY_FALLBACKS: null,
  SESSION_COOKIE_NAME: 'session',
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: null,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_SAMESITE: null,
  SESSION_COOKIE_PARTITIONED: false,
  PERMANENT_SESSION_LIFETIME: 31 * 24 * 60 * 60,
  SESSION_REFRESH_EACH_REQUEST: true,
  APPLICATION_ROOT: '/',
  MAX_COOKIE_SIZE: 4093,
  SESSION_COOKIE_SIZE_POLICY: 'warn',
  SESSION_REDIS_URL: null,
  SESSION_KEY_PREFIX: 'session:',
  SESSION_IDLE_TIMEOUT: 24 * 60 * 60,
  SESSION_PERMANENT: true,
  SESSION_ID_LENGTH: 32,
  SESSION_SERIALIZATION_FORMAT: 'msgpack',
  SESSION_USE_SIGNER: false,
  SESSION_REDIS_CLUSTER_NODES: null,
  SESSION_REDIS_SENTINELS: null,
  SESSION_REDIS_SENTINEL_MASTER: null,
});

/** Builds a full config from Flask's defaults and the given overrides. */
export function createSessionConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return { ...DEFAULT_SESSION_CONFIG, ...overrides };
}
