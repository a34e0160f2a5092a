/**
 * Flask-Login's and Flask-WTF's configuration keys as this package resolves them: defaults from
 * Flask-Login's config.py and Flask-WTF's CSRFProtect.init_app, environment strings parsed, and
 * start-up errors that name the key.
 */
import { resolveCsrfConfig } from '../../lib/csrf/index.js';
import { DEFAULT_LOGIN_CONFIG, resolveLoginConfig } from '../../lib/flask-login/index.js';

const fromEnv = (values: Record<string, string>) => (key: string) => values[key];

describe('Flask-Login configuration', () => {
  it("has Flask-Login's defaults", () => {
    expect(resolveLoginConfig({})).toEqual({
      REMEMBER_COOKIE_NAME: 'remember_token',
      REMEMBER_COOKIE_DURATION: 365 * 86400,
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
    expect(resolveLoginConfig({})).toEqual(DEFAULT_LOGIN_CONFIG);
  });

  it('parses environment strings, explicit options winning', () => {
    const config = resolveLoginConfig(
      { REMEMBER_COOKIE_NAME: 'explicit' },
      fromEnv({
        REMEMBER_COOKIE_NAME: 'from_env',
        REMEMBER_COOKIE_DURATION: '86400',
        REMEMBER_COOKIE_SECURE: 'true',
        REMEMBER_COOKIE_SAMESITE: 'none',
        REMEMBER_COOKIE_DOMAIN: '',
        SESSION_PROTECTION: 'None',
        LOGIN_DISABLED: 'no',
      }),
    );
    expect(config).toMatchObject({
      REMEMBER_COOKIE_NAME: 'explicit',
      REMEMBER_COOKIE_DURATION: 86400,
      REMEMBER_COOKIE_SECURE: true,
      REMEMBER_COOKIE_SAMESITE: 'none',
      REMEMBER_COOKIE_DOMAIN: null,
      SESSION_PROTECTION: null,
      LOGIN_DISABLED: false,
    });
    expect(resolveLoginConfig({}, fromEnv({ SESSION_PROTECTION: 'strong' })).SESSION_PROTECTION).toBe('strong');
  });

  it.each([
    [{ REMEMBER_COOKIE_DURATION: -1 }, 'REMEMBER_COOKIE_DURATION'],
    [{ REMEMBER_COOKIE_PATH: 'no-slash' }, 'REMEMBER_COOKIE_PATH'],
    [{ REMEMBER_COOKIE_DOMAIN: 'exa mple.com' }, 'REMEMBER_COOKIE_DOMAIN'],
    [{ REMEMBER_COOKIE_SAMESITE: 'sometimes' }, 'REMEMBER_COOKIE_SAMESITE'],
    [{ FORCE_HOST_FOR_REDIRECTS: 'evil.com/path' }, 'FORCE_HOST_FOR_REDIRECTS'],
  ])('refuses %j, naming %s', (options, key) => {
    expect(() => resolveLoginConfig(options as never)).toThrow(new RegExp(`^Invalid session configuration: ${key} `));
  });
});

describe('Flask-WTF CSRF configuration', () => {
  it("has Flask-WTF's defaults", () => {
    expect(resolveCsrfConfig({})).toEqual({
      WTF_CSRF_ENABLED: true,
      WTF_CSRF_CHECK_DEFAULT: true,
      WTF_CSRF_SECRET_KEY: null,
      WTF_CSRF_FIELD_NAME: 'csrf_token',
      WTF_CSRF_HEADERS: ['X-CSRFToken', 'X-CSRF-Token'],
      WTF_CSRF_METHODS: ['POST', 'PUT', 'PATCH', 'DELETE'],
      WTF_CSRF_TIME_LIMIT: 3600,
      WTF_CSRF_SSL_STRICT: true,
      WTF_CSRF_META_NAME: 'csrf-token',
    });
  });

  it('parses lists (JSON or comma-separated), a null time limit, and upper-cases methods', () => {
    const config = resolveCsrfConfig(
      {},
      fromEnv({
        WTF_CSRF_HEADERS: '["X-XSRF-TOKEN"]',
        WTF_CSRF_METHODS: 'post, delete',
        WTF_CSRF_TIME_LIMIT: 'null',
        WTF_CSRF_SECRET_KEY: 'csrf only',
      }),
    );
    expect(config).toMatchObject({
      WTF_CSRF_HEADERS: ['X-XSRF-TOKEN'],
      WTF_CSRF_METHODS: ['POST', 'DELETE'],
      WTF_CSRF_TIME_LIMIT: null,
      WTF_CSRF_SECRET_KEY: 'csrf only',
    });
  });

  it.each([
    [{ WTF_CSRF_TIME_LIMIT: 0 }, 'WTF_CSRF_TIME_LIMIT'],
    [{ WTF_CSRF_METHODS: 'POST' }, 'WTF_CSRF_METHODS'],
    [{ WTF_CSRF_HEADERS: ['X Bad'] }, 'WTF_CSRF_HEADERS'],
    [{ WTF_CSRF_SECRET_KEY: '' }, 'WTF_CSRF_SECRET_KEY'],
    [{ WTF_CSRF_ENABLED: 'yes' }, 'WTF_CSRF_ENABLED'],
  ])('refuses %j, naming %s', (options, key) => {
    expect(() => resolveCsrfConfig(options as never)).toThrow(new RegExp(`^Invalid session configuration: ${key} `));
  });

  it('refuses a malformed JSON list from the environment', () => {
    expect(() => resolveCsrfConfig({}, fromEnv({ WTF_CSRF_HEADERS: '["X-A",' }))).toThrow(
      /^Invalid session configuration: WTF_CSRF_HEADERS is not a valid JSON list/,
    );
  });
});
