import type { ModuleMetadata, Type } from '@nestjs/common';
import type { LoginConfig } from './login-config.js';
import type { RemoteAddressSource } from './request-facts.js';
import type { UserLoader } from './user-loader.js';

/**
 * `LoginModule.forRoot()` options: Flask-Login's config keys (read from `ConfigService` when not
 * given) and its `LoginManager` attributes.
 */
export interface LoginModuleOptions extends Partial<LoginConfig> {
  /** The app's user loader (Flask-Login's `user_loader`). */
  userLoader: Type<UserLoader>;
  /** Modules the user loader's dependencies come from. */
  imports?: ModuleMetadata['imports'];
  /** Where a login-required refusal redirects (a path or URL), with `next`; unset: 401. Flask-Login's `login_view`. */
  loginView?: string | null;
  /** Where a fresh-login-required refusal redirects; unset: 401. Flask-Login's `refresh_view`. */
  refreshView?: string | null;
  /** Flashed before the redirect to `loginView`; null flashes nothing. @default 'Please log in to access this page.' */
  loginMessage?: string | null;
  /** @default 'message' */
  loginMessageCategory?: string;
  /** Flashed before the redirect to `refreshView`; null flashes nothing. @default 'Please reauthenticate to access this page.' */
  needsRefreshMessage?: string | null;
  /** @default 'message' */
  needsRefreshMessageCategory?: string;
  /**
   * The address in the session identifier: `'flask-login'` takes `X-Forwarded-For` when present
   * (as Flask-Login does, so both apps compute the same `_id`), `'platform'` the platform's
   * client address under its trust-proxy setting. @default 'flask-login'
   */
  remoteAddress?: RemoteAddressSource;
}
