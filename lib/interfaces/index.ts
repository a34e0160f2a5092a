export { createSessionConfig, DEFAULT_SESSION_CONFIG, type SessionConfig } from './session-config.js';
export { SessionInterface, type NullSessionClass, type SessionCookieAttributes } from './session.interface.js';
export { CookieSessionInterface } from './cookie-session.interface.js';
export { SecureCookieSessionInterface } from './secure-cookie-session.interface.js';
export { EncryptedCookieSessionInterface, type EncryptedCookieSessionOptions } from './encrypted-cookie-session.interface.js';
export { SessionStoreUnavailableError } from './session-store-unavailable.error.js';
