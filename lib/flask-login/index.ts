export { LoginModule } from './login.module.js';
export type { LoginModuleOptions } from './login-module-options.interface.js';
export { LoginManager, type LoginUserOptions, type LoginTarget } from './login-manager.service.js';
export { UserLoader } from './user-loader.js';
export { CurrentUser } from './current-user.decorator.js';
export { LoginRequired, FreshLoginRequired } from './login-required.decorator.js';
export { LoginRequiredGuard, FreshLoginRequiredGuard } from './login-required.guard.js';
export { LoginRedirectException } from './login-redirect.exception.js';
export { LoginRedirectFilter } from './login-redirect.filter.js';
export {
  DEFAULT_LOGIN_CONFIG,
  LOGIN_CONFIG_KEYS,
  resolveLoginConfig,
  validateLoginConfig,
  type LoginConfig,
  type SessionProtection,
} from './login-config.js';
export { LOGIN_CONFIG, LOGIN_MESSAGE, REFRESH_MESSAGE, LOGIN_SESSION_KEYS } from './login.constants.js';
export { encodeRememberCookie, decodeRememberCookie, type RememberCookieKey } from './remember-cookie.js';
export { createSessionIdentifier, type IdentifierSource } from './session-identifier.js';
export type { RemoteAddressSource } from './request-facts.js';
export { loginUrl, makeNextParam } from './login-url.js';
