/** The cookie settings of Flask's `test_session_using_session_settings` (tests/test_basic.py). */
export const FLASK_TEST_COOKIE_SETTINGS = {
  SESSION_COOKIE_DOMAIN: '.example.com',
  SESSION_COOKIE_HTTPONLY: false,
  SESSION_COOKIE_SECURE: true,
  SESSION_COOKIE_PARTITIONED: true,
  SESSION_COOKIE_SAMESITE: 'Lax',
  SESSION_COOKIE_PATH: '/',
} as const;
