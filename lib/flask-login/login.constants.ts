/** The session keys Flask-Login writes; a failed strong session protection removes them all. */
export const LOGIN_SESSION_KEYS: readonly string[] = Object.freeze([
  '_user_id',
  '_remember',
  '_remember_seconds',
  '_id',
  '_fresh',
  'next',
]);

/** Flask-Login's default flash message when a user must log in. */
export const LOGIN_MESSAGE = 'Please log in to access this page.';

/** Flask-Login's default flash message when a login must be fresh. */
export const REFRESH_MESSAGE = 'Please reauthenticate to access this page.';

/** Methods the login guards let through, as Flask-Login's `EXEMPT_METHODS` (CORS preflights). */
export const LOGIN_EXEMPT_METHODS: ReadonlySet<string> = new Set(['OPTIONS']);

/** Injection token of the resolved {@link LoginConfig}. */
export const LOGIN_CONFIG = Symbol('nest-flask-session:login-config');

/** Injection token of the options given to `LoginModule.forRoot()`. */
export const LOGIN_MODULE_OPTIONS = Symbol('nest-flask-session:login-module-options');
