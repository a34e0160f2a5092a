// Nest integration
export { SessionModule } from './session.module.js';
export {
  SESSION_MODULE_OPTIONS,
  SESSION_OPTIONS_TYPE,
  SESSION_ASYNC_OPTIONS_TYPE,
} from './session.module-definition.js';
export type { SessionModuleOptions } from './interfaces/session-module-options.interface.js';
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
export {
  resolveSessionConfig,
  validateSessionConfig,
  SessionConfigError,
  SESSION_CONFIG_KEYS,
} from './config/index.js';

// Session interfaces and objects
export { createSessionConfig, DEFAULT_SESSION_CONFIG, type SessionConfig } from './config/index.js';
export {
  SessionInterface,
  CookieSessionInterface,
  SecureCookieSessionInterface,
  EncryptedCookieSessionInterface,
  SessionStoreUnavailableError,
  SecureCookieSession,
  NullSession,
  KeyError,
  SessionUnavailableError,
  type NullSessionClass,
  type SessionCookieAttributes,
  type EncryptedCookieSessionOptions,
  type CookieSessionInterfaceOptions,
  type SecureCookieSessionOptions,
  type VerifiedCacheStats,
  type SessionData,
} from './sessions/index.js';

// Flask's message flashing, stored under `_flashes` as Flask stores it
export * from './flash/index.js';

// HTTP seam
export type { SessionLogger, SessionRequest, SessionResponse } from './sessions/index.js';
export { NodeSessionRequest, NodeSessionResponse } from './http/index.js';
export { OversizeCookieError, serializeSetCookie, serializeDeleteCookie, type CookieOptions } from './cookie/index.js';

// Sealing (the encrypted cookie format)
export * from './encryption/index.js';

// itsdangerous and Flask's tagged JSON
export * from './itsdangerous/index.js';
export * from './zlib/index.js';
export * from './tagged-json/index.js';

// Server-side sessions (ioredis is an optional peer, loaded only when a client is created from a URL)
export * from './redis/index.js';

// Flask-Session's Redis sessions, shared with a Flask app (msgpackr is an optional peer, loaded on first use)
export * from './flask-session/index.js';
