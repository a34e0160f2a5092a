import { normalizeDomain, normalizeSameSite } from '../cookie/index.js';
import { cookieDomainProblem, cookiePathProblem } from '../cookie/index.js';
import { parseConfigValue, SessionConfigError, type ConfigValueKind } from '../config/index.js';

/** Flask-Login's session protection modes; null turns it off. */
export type SessionProtection = 'basic' | 'strong' | null;

/** Flask-Login's configuration keys, with Flask-Login's defaults. */
export interface LoginConfig {
  /** @default 'remember_token' */
  REMEMBER_COOKIE_NAME: string;
  /** Seconds the remember-me cookie lives. @default 31536000 (365 days) */
  REMEMBER_COOKIE_DURATION: number;
  /** @default null */
  REMEMBER_COOKIE_DOMAIN: string | null;
  /** @default '/' */
  REMEMBER_COOKIE_PATH: string;
  /** @default false */
  REMEMBER_COOKIE_SECURE: boolean;
  /** @default true */
  REMEMBER_COOKIE_HTTPONLY: boolean;
  /** `'Strict'`, `'Lax'`, `'None'` or null. @default null */
  REMEMBER_COOKIE_SAMESITE: string | null;
  /** Set the remember-me cookie again on every response of a logged-in user. @default false */
  REMEMBER_COOKIE_REFRESH_EACH_REQUEST: boolean;
  /** `'basic'`, `'strong'` or null (off). @default 'basic' */
  SESSION_PROTECTION: SessionProtection;
  /** The login guards let everyone through (for tests). @default false */
  LOGIN_DISABLED: boolean;
  /** Keep the page asked for in the session's `next` instead of the login URL's query. @default false */
  USE_SESSION_FOR_NEXT: boolean;
  /** Host of the login redirects, instead of the login view's. @default null */
  FORCE_HOST_FOR_REDIRECTS: string | null;
}

export const DEFAULT_LOGIN_CONFIG: Readonly<LoginConfig> = Object.freeze({
  REMEMBER_COOKIE_NAME: 'remember_token',
  REMEMBER_COOKIE_DURATION: 365 * 24 * 3600,
  REMEMBER_COOKIE_DOMAIN: null,
  REMEMBER_COOKIE_PATH: '/',
  REMEMBER_COOKIE_SECURE: false,
  REMEMBER_COOKIE_HTTPONLY: true,
  REMEMBER_COOKIE_SAMESITE: null,
  REMEMBER_COOKIE_REFRESH_EACH_REQUEST: false,
  SESSION_PROTECTION: 'basic',
  LOGIN_DISABLED: false,
  USE_SESSION_FOR_NEXT: false,
  FORCE_HOST_FOR_REDIRECTS: null,
});

const KINDS: Record<keyof LoginConfig, ConfigValueKind> = {
  REMEMBER_COOKIE_NAME: 'string',
  REMEMBER_COOKIE_DURATION: 'number',
  REMEMBER_COOKIE_DOMAIN: 'nullableString',
  REMEMBER_COOKIE_PATH: 'string',
  REMEMBER_COOKIE_SECURE: 'boolean',
  REMEMBER_COOKIE_HTTPONLY: 'boolean',
  REMEMBER_COOKIE_SAMESITE: 'nullableString',
  REMEMBER_COOKIE_REFRESH_EACH_REQUEST: 'boolean',
  SESSION_PROTECTION: 'nullableString',
  LOGIN_DISABLED: 'boolean',
  USE_SESSION_FOR_NEXT: 'boolean',
  FORCE_HOST_FOR_REDIRECTS: 'nullableString',
};

/** The Flask-Login keys read from `ConfigService`. */
export const LOGIN_CONFIG_KEYS = Object.keys(KINDS) as Array<keyof LoginConfig>;

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Start-up checks of the Flask-Login keys; each error names its key. */
export function validateLoginConfig(config: LoginConfig): void {
  if (typeof config.REMEMBER_COOKIE_NAME !== 'string' || !COOKIE_NAME.test(config.REMEMBER_COOKIE_NAME)) {
    throw new SessionConfigError(
      'REMEMBER_COOKIE_NAME',
      `must be a cookie token (letters, digits and !#$%&'*+-.^_\`|~), got '${String(config.REMEMBER_COOKIE_NAME)}'`,
    );
  }
  const duration = config.REMEMBER_COOKIE_DURATION;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    throw new SessionConfigError(
      'REMEMBER_COOKIE_DURATION',
      `must be zero or a positive number of seconds, got ${String(duration)}`,
    );
  }
  for (const key of [
    'REMEMBER_COOKIE_SECURE',
    'REMEMBER_COOKIE_HTTPONLY',
    'REMEMBER_COOKIE_REFRESH_EACH_REQUEST',
    'LOGIN_DISABLED',
    'USE_SESSION_FOR_NEXT',
  ] as const) {
    if (typeof config[key] !== 'boolean')
      throw new SessionConfigError(key, `must be true or false, got ${String(config[key])}`);
  }
  let sameSite: string | null;
  try {
    sameSite = normalizeSameSite(config.REMEMBER_COOKIE_SAMESITE);
  } catch {
    throw new SessionConfigError(
      'REMEMBER_COOKIE_SAMESITE',
      `must be 'Strict', 'Lax', 'None' or unset, got '${String(config.REMEMBER_COOKIE_SAMESITE)}'`,
    );
  }
  if (sameSite === 'None' && !config.REMEMBER_COOKIE_SECURE) {
    throw new SessionConfigError(
      'REMEMBER_COOKIE_SAMESITE',
      "is 'None', which browsers only accept with REMEMBER_COOKIE_SECURE=true",
    );
  }
  const domain = config.REMEMBER_COOKIE_DOMAIN;
  if (domain !== null) {
    const problem =
      typeof domain === 'string' ? cookieDomainProblem(domain, normalizeDomain(domain)) : 'must be a string';
    if (problem) throw new SessionConfigError('REMEMBER_COOKIE_DOMAIN', problem);
  }
  const path = config.REMEMBER_COOKIE_PATH;
  const pathProblem = typeof path === 'string' ? cookiePathProblem(path) : 'must be a string';
  if (pathProblem) throw new SessionConfigError('REMEMBER_COOKIE_PATH', pathProblem);
  const protection = config.SESSION_PROTECTION;
  if (protection !== null && protection !== 'basic' && protection !== 'strong') {
    throw new SessionConfigError(
      'SESSION_PROTECTION',
      `must be 'basic', 'strong' or unset (off), got '${String(protection)}'`,
    );
  }
  const host = config.FORCE_HOST_FOR_REDIRECTS;
  if (host !== null && (typeof host !== 'string' || /[/?#\s]/.test(host))) {
    throw new SessionConfigError('FORCE_HOST_FOR_REDIRECTS', `must be a host (and port), got '${String(host)}'`);
  }
}

/** Flask-Login's defaults, then what `read` (ConfigService) has, then explicit options; validated. */
export function resolveLoginConfig(options: Partial<LoginConfig>, read?: (key: string) => unknown): LoginConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_LOGIN_CONFIG };
  for (const key of LOGIN_CONFIG_KEYS) {
    const explicit = options[key];
    if (explicit !== undefined) merged[key] = explicit;
    else {
      const raw = read?.(key);
      if (raw !== undefined) merged[key] = parseConfigValue(key, KINDS[key], raw);
    }
  }
  // Flask-Login treats any other value, None included, as off: 'none' from the environment too.
  if (typeof merged.SESSION_PROTECTION === 'string' && merged.SESSION_PROTECTION.toLowerCase() === 'none')
    merged.SESSION_PROTECTION = null;
  const config = merged as unknown as LoginConfig;
  validateLoginConfig(config);
  return config;
}
