import { parseConfigValue, type ConfigValueKind } from './config-value.js';
import {
  configuredCookieDomainProblem,
  cookiePathProblem,
  cookiePrefixProblem,
} from '../cookie/cookie-attribute-rules.js';
import { normalizeDomain, normalizeSameSite } from '../cookie/set-cookie.js';
import { assertNoEmptyFallbackKeys } from './secret-keys.js';
import { createSessionConfig, type SessionConfig } from './session-config.js';
import { SessionConfigError } from './session-config.error.js';
import { validateFlaskSessionConfig } from './flask-session-config.js';
import { validateRedisTopology } from './redis-topology.config.js';

export { SessionConfigError };

/** Reads one configuration key, as `ConfigService.get` does. */
export type ConfigReader = (key: string) => unknown;

type Kind = 'secret' | ConfigValueKind;

const KEY_KINDS: Record<keyof SessionConfig, Kind> = {
  SECRET_KEY: 'secret',
  SECRET_KEY_FALLBACKS: 'list',
  SESSION_COOKIE_NAME: 'string',
  SESSION_COOKIE_DOMAIN: 'nullableString',
  SESSION_COOKIE_PATH: 'nullableString',
  SESSION_COOKIE_HTTPONLY: 'boolean',
  SESSION_COOKIE_SECURE: 'boolean',
  SESSION_COOKIE_SAMESITE: 'nullableString',
  SESSION_COOKIE_PARTITIONED: 'boolean',
  PERMANENT_SESSION_LIFETIME: 'number',
  SESSION_REFRESH_EACH_REQUEST: 'boolean',
  APPLICATION_ROOT: 'string',
  MAX_COOKIE_SIZE: 'number',
  SESSION_COOKIE_SIZE_POLICY: 'string',
  SESSION_REDIS_URL: 'nullableString',
  SESSION_KEY_PREFIX: 'string',
  SESSION_IDLE_TIMEOUT: 'number',
  SESSION_PERMANENT: 'boolean',
  SESSION_ID_LENGTH: 'number',
  SESSION_SERIALIZATION_FORMAT: 'string',
  SESSION_USE_SIGNER: 'boolean',
  SESSION_REDIS_CLUSTER_NODES: 'list',
  SESSION_REDIS_SENTINELS: 'list',
  SESSION_REDIS_SENTINEL_MASTER: 'nullableString',
};

/** The Flask config keys the module reads from `ConfigService`. */
export const SESSION_CONFIG_KEYS = Object.keys(KEY_KINDS) as Array<keyof SessionConfig>;

// Not 'none': SameSite=None is a real value.
const NULLS = new Set(['', 'null']);

function parseValue(key: keyof SessionConfig, raw: unknown): unknown {
  const kind = KEY_KINDS[key];
  if (kind === 'secret') return typeof raw === 'string' && raw.trim() === '' ? null : raw;
  if (kind === 'list') {
    if (typeof raw === 'string' && NULLS.has(raw.trim().toLowerCase())) return null;
    if (typeof raw !== 'string' && raw != null && !Array.isArray(raw)) {
      throw new SessionConfigError(key, `must be a list (a JSON array or comma-separated), got ${typeof raw}`);
    }
  }
  return parseConfigValue(key, kind, raw);
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Start-up checks: every rule names the key at fault and what to do. */
export function validateSessionConfig(config: SessionConfig): void {
  const name = config.SESSION_COOKIE_NAME;
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new SessionConfigError(
      'SESSION_COOKIE_NAME',
      `must be a cookie token (letters, digits and !#$%&'*+-.^_\`|~), got '${String(name)}'`,
    );
  }
  for (const key of [
    'SESSION_COOKIE_HTTPONLY',
    'SESSION_COOKIE_SECURE',
    'SESSION_COOKIE_PARTITIONED',
    'SESSION_REFRESH_EACH_REQUEST',
  ] as const) {
    if (typeof config[key] !== 'boolean')
      throw new SessionConfigError(key, `must be true or false, got ${String(config[key])}`);
  }
  let sameSite: string | null;
  try {
    sameSite = normalizeSameSite(config.SESSION_COOKIE_SAMESITE);
  } catch {
    throw new SessionConfigError(
      'SESSION_COOKIE_SAMESITE',
      `must be 'Strict', 'Lax', 'None' or unset, got '${String(config.SESSION_COOKIE_SAMESITE)}'`,
    );
  }
  const secure = config.SESSION_COOKIE_SECURE || config.SESSION_COOKIE_PARTITIONED;
  if (sameSite === 'None' && !secure) {
    throw new SessionConfigError(
      'SESSION_COOKIE_SAMESITE',
      "is 'None', which browsers only accept with SESSION_COOKIE_SECURE=true",
    );
  }
  const domain = config.SESSION_COOKIE_DOMAIN;
  if (domain != null) {
    const problem =
      typeof domain === 'string' ? configuredCookieDomainProblem(domain, normalizeDomain(domain)) : 'must be a string';
    if (problem) throw new SessionConfigError('SESSION_COOKIE_DOMAIN', problem);
  }
  for (const key of ['SESSION_COOKIE_PATH', 'APPLICATION_ROOT'] as const) {
    const path = config[key];
    if (path == null || (key === 'SESSION_COOKIE_PATH' && path === '')) continue;
    const problem = typeof path === 'string' ? cookiePathProblem(path) : 'must be a string';
    if (problem) throw new SessionConfigError(key, problem);
  }
  const path = config.SESSION_COOKIE_PATH || config.APPLICATION_ROOT;
  const prefixProblem = cookiePrefixProblem(name, { secure, domain, path });
  if (prefixProblem) throw new SessionConfigError('SESSION_COOKIE_NAME', prefixProblem);
  const lifetime = config.PERMANENT_SESSION_LIFETIME;
  // 0 is allowed, as in Flask: cookies that expire at once.
  if (typeof lifetime !== 'number' || !Number.isFinite(lifetime) || lifetime < 0) {
    throw new SessionConfigError(
      'PERMANENT_SESSION_LIFETIME',
      `must be zero or a positive number of seconds, got ${String(lifetime)}`,
    );
  }
  const idle = config.SESSION_IDLE_TIMEOUT;
  if (typeof idle !== 'number' || !Number.isFinite(idle) || idle <= 0) {
    throw new SessionConfigError('SESSION_IDLE_TIMEOUT', `must be a positive number of seconds, got ${String(idle)}`);
  }
  validateFlaskSessionConfig(config);
  const size = config.MAX_COOKIE_SIZE;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new SessionConfigError(
      'MAX_COOKIE_SIZE',
      `must be a whole number of bytes (0 disables the check), got ${String(size)}`,
    );
  }
  if (config.SESSION_COOKIE_SIZE_POLICY !== 'warn' && config.SESSION_COOKIE_SIZE_POLICY !== 'error') {
    throw new SessionConfigError(
      'SESSION_COOKIE_SIZE_POLICY',
      `must be 'warn' or 'error', got '${String(config.SESSION_COOKIE_SIZE_POLICY)}'`,
    );
  }
  const fallbacks = config.SECRET_KEY_FALLBACKS;
  if (
    fallbacks != null &&
    (!Array.isArray(fallbacks) || !fallbacks.every((key) => typeof key === 'string' || Buffer.isBuffer(key)))
  ) {
    throw new SessionConfigError('SECRET_KEY_FALLBACKS', 'must be a list of keys (strings or Buffers)');
  }
  assertNoEmptyFallbackKeys(config);
  validateRedisTopology(config);
  const secret = config.SECRET_KEY;
  if (secret != null && typeof secret !== 'string' && !Buffer.isBuffer(secret)) {
    throw new SessionConfigError('SECRET_KEY', 'must be a string or a Buffer');
  }
}

/**
 * Flask's defaults, then what `read` (ConfigService) has, parsed from environment strings, then
 * explicit options; all validated.
 */
export function resolveSessionConfig(options: Partial<SessionConfig>, read?: ConfigReader): SessionConfig {
  const merged: Partial<Record<keyof SessionConfig, unknown>> = {};
  for (const key of SESSION_CONFIG_KEYS) {
    const explicit = (options as Record<string, unknown>)[key];
    if (explicit !== undefined) {
      // Explicit options are typed values: they are validated below, never re-parsed.
      merged[key] = explicit;
      continue;
    }
    const raw = read?.(key);
    if (raw !== undefined) merged[key] = parseValue(key, raw);
  }
  const config = createSessionConfig(merged as Partial<SessionConfig>);
  validateSessionConfig(config);
  return config;
}
