// The `nest-flask-session` entry: what an application uses. Flask's building blocks have entries
// of their own: `nest-flask-session/itsdangerous`, `nest-flask-session/tagged-json`, and
// `nest-flask-session/testing` for tests.

// The module, its options and the Nest glue
export { SessionModule } from './session.module.js';
export { SESSION_MODULE_OPTIONS } from './session.module-definition.js';
export type { SessionModuleAsyncOptions, SessionModuleOptions, SessionOptionsFactory } from './interfaces/index.js';
export { SESSION_CONFIG } from './session.constants.js';
export { Session } from './session.decorator.js';
export { getSession } from './get-session.js';
export {
  ReadOnlySessionError,
  SessionOutsideHttpError,
  HandshakeNotFoundError,
  type ReadOnlyReason,
} from './contexts/index.js';
export { SessionInterceptor } from './session.interceptor.js';

// Configuration: Flask's keys
export { createSessionConfig, DEFAULT_SESSION_CONFIG, SessionConfigError, type SessionConfig } from './config/index.js';

// Sessions, and the interfaces that open and save them
export {
  SessionInterface,
  CookieSessionInterface,
  SecureCookieSessionInterface,
  EncryptedCookieSessionInterface,
  SecureCookieSession,
  NullSession,
  KeyError,
  SessionUnavailableError,
  SessionStoreUnavailableError,
  type EncryptedCookieSessionOptions,
  type SessionCookieAttributes,
  type SessionData,
  type SessionLogger,
  type SessionMixin,
  type SessionRequest,
  type SessionResponse,
} from './sessions/index.js';
export { OversizeCookieError, type CookieOptions } from './cookie/index.js';
export { UnsealError, type UnsealFailure } from './encryption/index.js';

// Server-side sessions on Redis (ioredis is an optional peer, loaded only when a client is created from a URL)
export {
  RedisSessionInterface,
  RedisSession,
  type RedisClientLike,
  type RedisSessionInterfaceOptions,
} from './redis/index.js';

// Flask-Session's Redis sessions, shared with a Flask app (msgpackr is an optional peer, loaded on first use)
export {
  FlaskSessionRedisInterface,
  FlaskSessionRedisSession,
  type FlaskSessionRedisClientLike,
  type FlaskSessionRedisInterfaceOptions,
} from './flask-session/index.js';

// Flask's message flashing, stored under `_flashes` as Flask stores it
export { flash, getFlashedMessages, type FlashMessage, type GetFlashedMessagesOptions } from './flash/index.js';
