// Nest integration
export { SessionModule } from './session.module.js';
export { SESSION_MODULE_OPTIONS, SESSION_OPTIONS_TYPE, SESSION_ASYNC_OPTIONS_TYPE } from './session.module-definition.js';
export type { SessionModuleOptions } from './session-module-options.interface.js';
export { SESSION_CONFIG } from './session.constants.js';
export { Session } from './session.decorator.js';
export { getSession } from './get-session.js';
export { SessionInterceptor } from './session.interceptor.js';
export { resolveSessionConfig, validateSessionConfig, SessionConfigError, SESSION_CONFIG_KEYS } from './session-config.factory.js';

// Session interfaces and objects
export { createSessionConfig, DEFAULT_SESSION_CONFIG, type SessionConfig } from './interfaces/session-config.js';
export { SessionInterface, type NullSessionClass, type SessionCookieAttributes } from './interfaces/session.interface.js';
export { CookieSessionInterface } from './interfaces/cookie-session.interface.js';
export { SecureCookieSessionInterface } from './interfaces/secure-cookie-session.interface.js';
export { EncryptedCookieSessionInterface, type EncryptedCookieSessionOptions } from './interfaces/encrypted-cookie-session.interface.js';
export { SessionStoreUnavailableError } from './interfaces/session-store-unavailable.error.js';
export { SecureCookieSession, NullSession, KeyError, SessionUnavailableError, type SessionData } from './sessions/index.js';

// Flask's message flashing, stored under `_flashes` as Flask stores it
export * from './flash/index.js';

// HTTP seam
export type { CookieOptions, SessionLogger, SessionRequest, SessionResponse } from './http/index.js';
export { NodeSessionRequest, NodeSessionResponse, OversizeCookieError, serializeSetCookie, serializeDeleteCookie } from './http/index.js';

// Sealing (the encrypted cookie format)
export * from './encryption/index.js';

// itsdangerous and Flask's tagged JSON
export * from './signing/index.js';
export * from './json/index.js';

// Server-side sessions (ioredis is an optional peer, loaded only when a client is created from a URL)
export * from './redis/index.js';

// Flask-Session's Redis sessions, shared with a Flask app (msgpackr is an optional peer, loaded on first use)
export * from './flask-session/index.js';
