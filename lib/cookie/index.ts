export type { CookieOptions } from './cookie-options.js';
export { OversizeCookieError } from './oversize-cookie.error.js';
export {
  httpDate,
  normalizeSameSite,
  normalizeDomain,
  serializeDeleteCookie,
  serializeSetCookie,
} from './set-cookie.js';
export { readCookie } from './cookie-header.js';
export {
  configuredCookieDomainProblem,
  cookieDomainProblem,
  cookiePathProblem,
  cookiePrefixProblem,
} from './cookie-attribute-rules.js';
