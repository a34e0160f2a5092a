export { SecureCookieSession, guardBracketAccess } from './secure-cookie-session.js';
export type { SessionData } from './session-data.js';
export type { SessionKey, SessionMixin, SessionSource } from './session-mixin.js';
export { NullSession } from './null-session.js';
export { KeyError, SessionUnavailableError } from './session-errors.js';
export type { SessionLogger, SessionRequest, SessionResponse } from './session-http.js';
export { SessionInterface, type NullSessionClass, type SessionCookieAttributes } from './session.interface.js';
export { CookieSessionInterface, type CookieSessionInterfaceOptions } from './cookie-session.interface.js';
export { SecureCookieSessionInterface, type SecureCookieSessionOptions } from './secure-cookie-session.interface.js';
export type { VerifiedCacheStats } from './verified-cookie-cache.js';
export {
  EncryptedCookieSessionInterface,
  type EncryptedCookieSessionOptions,
} from './encrypted-cookie-session.interface.js';
export {
  SessionStoreUnavailableError,
  STORE_FAILURE_HANDLER,
  type StoreFailureHandler,
} from './session-store-unavailable.error.js';
