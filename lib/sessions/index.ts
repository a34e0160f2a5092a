export { SecureCookieSession, type SessionData } from './secure-cookie-session.js';
export { NullSession } from './null-session.js';
export { KeyError, SessionUnavailableError } from './session-errors.js';
