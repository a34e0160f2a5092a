import { parseConfigValue, SessionConfigError, type ConfigValueKind } from '../config/index.js';

/** Flask-WTF's CSRF configuration keys, with Flask-WTF's defaults. */
export interface CsrfConfig {
  /** Turns CSRF protection off everywhere when false. @default true */
  WTF_CSRF_ENABLED: boolean;
  /** The app-wide guard checks every route (Flask-WTF's `CSRFProtect` before-request hook); false leaves it to per-controller guards. @default true */
  WTF_CSRF_CHECK_DEFAULT: boolean;
  /** Signs tokens; falls back to `SECRET_KEY`. @default null */
  WTF_CSRF_SECRET_KEY: string | Buffer | null;
  /** Form field, and session key, of the token. @default 'csrf_token' */
  WTF_CSRF_FIELD_NAME: string;
  /** Headers searched for the token, in order. @default ['X-CSRFToken', 'X-CSRF-Token'] */
  WTF_CSRF_HEADERS: readonly string[];
  /** Methods whose requests must carry a token. @default ['POST', 'PUT', 'PATCH', 'DELETE'] */
  WTF_CSRF_METHODS: readonly string[];
  /** Seconds a token stays valid; null for as long as the session lives. @default 3600 */
  WTF_CSRF_TIME_LIMIT: number | null;
  /** Over HTTPS, also require a `Referer` of the same origin. @default true */
  WTF_CSRF_SSL_STRICT: boolean;
  /** `name` of the `<meta>` tag {@link CsrfService.metaTag} renders. @default 'csrf-token' */
  WTF_CSRF_META_NAME: string;
}

export const DEFAULT_CSRF_CONFIG: Readonly<CsrfConfig> = Object.freeze({
  WTF_CSRF_ENABLED: true,
  WTF_CSRF_CHECK_DEFAULT: true,
  WTF_CSRF_SECRET_KEY: null,
  WTF_CSRF_FIELD_NAME: 'csrf_token',
  WTF_CSRF_HEADERS: Object.freeze(['X-CSRFToken', 'X-CSRF-Token']),
  WTF_CSRF_METHODS: Object.freeze(['POST', 'PUT', 'PATCH', 'DELETE']),
  WTF_CSRF_TIME_LIMIT: 3600,
  WTF_CSRF_SSL_STRICT: true,
  WTF_CSRF_META_NAME: 'csrf-token',
});

const KINDS: Record<keyof CsrfConfig, ConfigValueKind> = {
  WTF_CSRF_ENABLED: 'boolean',
  WTF_CSRF_CHECK_DEFAULT: 'boolean',
  WTF_CSRF_SECRET_KEY: 'nullableString',
  WTF_CSRF_FIELD_NAME: 'string',
  WTF_CSRF_HEADERS: 'list',
  WTF_CSRF_METHODS: 'list',
  WTF_CSRF_TIME_LIMIT: 'nullableNumber',
  WTF_CSRF_SSL_STRICT: 'boolean',
  WTF_CSRF_META_NAME: 'string',
};

/** The Flask-WTF keys read from `ConfigService`. */
export const CSRF_CONFIG_KEYS = Object.keys(KINDS) as Array<keyof CsrfConfig>;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Start-up checks of the Flask-WTF keys; each error names its key. */
export function validateCsrfConfig(config: CsrfConfig): void {
  for (const key of ['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT', 'WTF_CSRF_SSL_STRICT'] as const) {
    if (typeof config[key] !== 'boolean')
      throw new SessionConfigError(key, `must be true or false, got ${String(config[key])}`);
  }
  const secret = config.WTF_CSRF_SECRET_KEY;
  if (secret !== null && !((typeof secret === 'string' && secret !== '') || Buffer.isBuffer(secret))) {
    throw new SessionConfigError(
      'WTF_CSRF_SECRET_KEY',
      'must be a non-empty string or a Buffer (or unset, to use SECRET_KEY)',
    );
  }
  for (const key of ['WTF_CSRF_FIELD_NAME', 'WTF_CSRF_META_NAME'] as const) {
    if (typeof config[key] !== 'string' || config[key] === '')
      throw new SessionConfigError(key, `must be a non-empty string, got ${String(config[key])}`);
  }
  if (!isStringList(config.WTF_CSRF_HEADERS) || !config.WTF_CSRF_HEADERS.every((name) => HEADER_NAME.test(name))) {
    throw new SessionConfigError(
      'WTF_CSRF_HEADERS',
      'must be a list of header names (a JSON array or comma-separated)',
    );
  }
  if (!isStringList(config.WTF_CSRF_METHODS) || !config.WTF_CSRF_METHODS.every((method) => HEADER_NAME.test(method))) {
    throw new SessionConfigError(
      'WTF_CSRF_METHODS',
      'must be a list of HTTP methods (a JSON array or comma-separated)',
    );
  }
  const limit = config.WTF_CSRF_TIME_LIMIT;
  if (limit !== null && (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0)) {
    throw new SessionConfigError(
      'WTF_CSRF_TIME_LIMIT',
      `must be a positive number of seconds, or null for no limit, got ${String(limit)}`,
    );
  }
}

/** Flask-WTF's defaults, then what `read` (ConfigService) has, then explicit options; validated. */
export function resolveCsrfConfig(options: Partial<CsrfConfig>, read?: (key: string) => unknown): CsrfConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CSRF_CONFIG };
  for (const key of CSRF_CONFIG_KEYS) {
    const explicit = options[key];
    if (explicit !== undefined) merged[key] = explicit;
    else {
      const raw = read?.(key);
      if (raw !== undefined) merged[key] = parseConfigValue(key, KINDS[key], raw);
    }
  }
  const config = merged as unknown as CsrfConfig;
  validateCsrfConfig(config);
  // Methods compare in upper case, as HTTP methods arrive.
  return { ...config, WTF_CSRF_METHODS: config.WTF_CSRF_METHODS.map((method) => method.toUpperCase()) };
}
