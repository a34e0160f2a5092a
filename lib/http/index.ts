export type { CookieOptions } from './cookie-options.js';
export type { SessionLogger, SessionRequest, SessionResponse } from './session-http.js';
export { NodeSessionRequest, NodeSessionResponse } from './node-http.adapter.js';
export { OversizeCookieError } from './oversize-cookie.error.js';
export { httpDate, normalizeSameSite, serializeDeleteCookie, serializeSetCookie } from './set-cookie.js';
