import { Inject, Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { serializeSetCookie, serializeDeleteCookie } from '../cookie/index.js';
import { flash } from '../flash/index.js';
import { FlaskSessionRedisSession } from '../flask-session/index.js';
import type { SessionContext } from '../http/index.js';
import type { SecureCookieSession, SessionData } from '../sessions/index.js';
import { requestSessionContextFor, sessionContextOf } from '../get-session.js';
import type { LoginConfig } from './login-config.js';
import {
  LOGIN_CONFIG,
  LOGIN_MESSAGE,
  LOGIN_MODULE_OPTIONS,
  LOGIN_SESSION_KEYS,
  REFRESH_MESSAGE,
} from './login.constants.js';
import type { LoginModuleOptions } from './login-module-options.interface.js';
import { bindLoginManager } from './login-binding.js';
import { LoginRedirectException } from './login-redirect.exception.js';
import { loginUrl, makeNextParam } from './login-url.js';
import { decodeRememberCookie, encodeRememberCookie } from './remember-cookie.js';
import { requestFacts } from './request-facts.js';
import { createSessionIdentifier } from './session-identifier.js';
import { UserLoader } from './user-loader.js';

type AnySession = SecureCookieSession<SessionData>;

/** Options of {@link LoginManager.loginUser}, Flask-Login's `login_user` arguments. */
export interface LoginUserOptions {
  /** Set the remember-me cookie. @default false */
  remember?: boolean;
  /** Seconds the remember-me cookie lives instead of `REMEMBER_COOKIE_DURATION` (kept in `_remember_seconds`). */
  duration?: number;
  /** Log an inactive user in anyway. @default false */
  force?: boolean;
  /** Mark the login fresh. @default true */
  fresh?: boolean;
}

/** What one request knows about its login. */
interface LoginState {
  /** The loaded user (null: anonymous), once loaded. */
  user?: object | null;
  loading?: Promise<object | null>;
  /** The platform request, for its headers and address. */
  request: object;
}

/** Where a call finds its request: the handler's `ExecutionContext`, or the platform request itself. */
export type LoginTarget = ExecutionContext | object;

function isExecutionContext(value: object): value is ExecutionContext {
  return typeof (value as Partial<ExecutionContext>).switchToHttp === 'function';
}

const REMEMBER_KEY = '_remember';

/**
 * Flask-Login's `LoginManager` and its functions for one app: who is logged in (from the session,
 * or from the remember-me cookie), logging in and out, freshness, session protection and the
 * remember-me cookie, all with Flask-Login's session keys and cookie format, so a Flask app
 * sharing the session agrees on who is logged in.
 */
@Injectable()
export class LoginManager<U extends object = object> {
  private readonly states = new WeakMap<SessionContext, LoginState>();

  constructor(
    @Inject(LOGIN_CONFIG) readonly config: LoginConfig,
    @Inject(LOGIN_MODULE_OPTIONS) private readonly options: LoginModuleOptions,
    @Inject(UserLoader) private readonly userLoader: UserLoader<U>,
  ) {}

  /** The request's session context and login state; the remember-me cookie is handled as its session is saved. */
  private contextOf(target: LoginTarget): { context: SessionContext; state: LoginState } {
    let context: SessionContext;
    let request: object;
    if (isExecutionContext(target)) {
      context = requestSessionContextFor(target);
      // The platform's request the context was made for: a GraphQL resolver's too (switchToHttp()
      // would give the resolver's root there).
      request = context.request.raw as object;
    } else {
      context = sessionContextOf(target);
      request = target;
    }
    let state = this.states.get(context);
    if (!state) {
      state = { request };
      this.states.set(context, state);
      bindLoginManager(context, this as LoginManager);
      if (!context.saved) context.beforeSave((session) => this.updateRememberCookie(session as AnySession, context));
    }
    return { context, state };
  }

  private async sessionOf(context: SessionContext): Promise<AnySession> {
    const session = (await context.openForHandler()) as AnySession;
    session.accessed = true;
    return session;
  }

  /** Flask-Login's `_create_identifier` for this request (the `_id` it stores). */
  sessionIdentifier(target: LoginTarget): string {
    return this.identifierOf(this.contextOf(target).state);
  }

  private identifierOf(state: LoginState): string {
    return createSessionIdentifier(requestFacts(state.request, this.options.remoteAddress ?? 'flask-login'));
  }

  /** Binds the request to this manager (the login context guard does it for every request), for `@CurrentUser()`. */
  bind(target: LoginTarget): void {
    this.contextOf(target);
  }

  /** The logged-in user, or null: loaded once per request, as Flask-Login's `current_user`. */
  async currentUser(target: LoginTarget): Promise<U | null> {
    const { context, state } = this.contextOf(target);
    if (state.user !== undefined) return state.user as U | null;
    state.loading ??= this.loadUser(context, state).then((user) => {
      state.user ??= user;
      return state.user;
    });
    return (await state.loading) as U | null;
  }

  /** Flask-Login's `_load_user`: session protection, then `_user_id`, then the remember-me cookie. */
  private async loadUser(context: SessionContext, state: LoginState): Promise<U | null> {
    const session = await this.sessionOf(context);
    if (this.sessionProtectionFailed(session, state)) return null;
    let user: U | null = null;
    const userId = session.get('_user_id');
    if (typeof userId === 'string' || typeof userId === 'number')
      user = (await this.userLoader.loadUser(String(userId))) ?? null;
    if (user === null) {
      const cookie = context.request.getCookie(this.config.REMEMBER_COOKIE_NAME);
      if (cookie !== undefined && session.get(REMEMBER_KEY) !== 'clear')
        user = await this.loadUserFromRememberCookie(context, session, cookie);
    }
    return user;
  }

  private async loadUserFromRememberCookie(
    context: SessionContext,
    session: AnySession,
    cookie: string,
  ): Promise<U | null> {
    const key = context.config.SECRET_KEY;
    if (!key) return null;
    const userId = decodeRememberCookie(cookie, key);
    if (userId === null) return null;
    session.set('_user_id', userId);
    session.set('_fresh', false);
    return (await this.userLoader.loadUser(userId)) ?? null;
  }

  /**
   * Flask-Login's `_session_protection_failed`: a non-empty session whose `_id` differs from this
   * client's identifier becomes non-fresh (`basic`, or any permanent session), or loses its login
   * and its remember-me cookie (`strong`).
   */
  private sessionProtectionFailed(session: AnySession, state: LoginState): boolean {
    const mode = this.config.SESSION_PROTECTION;
    if (mode !== 'basic' && mode !== 'strong') return false;
    if (isEmptySession(session) || this.identifierOf(state) === session.get('_id')) return false;
    if (mode === 'basic' || session.permanent) {
      if (session.get('_fresh') !== false) session.set('_fresh', false);
      return false;
    }
    for (const key of LOGIN_SESSION_KEYS) session.delete(key);
    session.set(REMEMBER_KEY, 'clear');
    return true;
  }

  /**
   * Flask-Login's `login_user`: stores `_user_id`, `_fresh` and `_id` (and `_remember`,
   * `_remember_seconds` for a remembered login, whose cookie is set as the session is saved).
   * False when the user is inactive and the login not forced. A server-side session
   * (`RedisSession`) first moves to a new id (`regenerate()`), against session fixation.
   */
  async loginUser(target: LoginTarget, user: U, options: LoginUserOptions = {}): Promise<boolean> {
    if (!options.force && !this.userLoader.isActive(user)) return false;
    const { context, state } = this.contextOf(target);
    const session = await this.sessionOf(context);
    // A server-side session moves to a new id first, so an id planted before the login is worthless.
    await regenerateIfServerSide(session);
    session.set('_user_id', this.userLoader.getId(user));
    session.set('_fresh', options.fresh ?? true);
    session.set('_id', this.identifierOf(state));
    if (options.remember) {
      if (!context.config.SECRET_KEY)
        throw new Error('A remembered login needs SECRET_KEY, which signs the remember-me cookie.');
      session.set(REMEMBER_KEY, 'set');
      if (options.duration !== undefined) {
        if (!Number.isFinite(options.duration) || options.duration < 0)
          throw new TypeError(`duration must be a number of seconds, got ${String(options.duration)}`);
        session.set('_remember_seconds', options.duration);
      }
    }
    state.user = user;
    state.loading = undefined;
    return true;
  }

  /**
   * Flask-Login's `logout_user`: removes `_user_id`, `_fresh` and `_id`, and when the request
   * carries a remember-me cookie, deletes it. A server-side session (`RedisSession`) then moves
   * to a new id (`regenerate()`), so a copy of the old cookie no longer logs anyone in.
   */
  async logoutUser(target: LoginTarget): Promise<void> {
    const { context, state } = this.contextOf(target);
    const session = await this.sessionOf(context);
    for (const key of ['_user_id', '_fresh', '_id']) session.delete(key);
    if (context.request.getCookie(this.config.REMEMBER_COOKIE_NAME) !== undefined) {
      session.set(REMEMBER_KEY, 'clear');
      session.delete('_remember_seconds');
    }
    await regenerateIfServerSide(session);
    state.user = null;
    state.loading = undefined;
  }

  /** Flask-Login's `confirm_login`: the login is fresh again, for this client. */
  async confirmLogin(target: LoginTarget): Promise<void> {
    const { context, state } = this.contextOf(target);
    const session = await this.sessionOf(context);
    session.set('_fresh', true);
    session.set('_id', this.identifierOf(state));
  }

  /** Flask-Login's `login_fresh`: whether `_fresh` is set (a login, not a restore from the remember-me cookie). */
  async loginFresh(target: LoginTarget): Promise<boolean> {
    const { context } = this.contextOf(target);
    return Boolean((await this.sessionOf(context)).get('_fresh'));
  }

  /** Flask-Login's `login_remembered`: the request carries a valid remember-me cookie not being cleared. */
  async loginRemembered(target: LoginTarget): Promise<boolean> {
    const { context } = this.contextOf(target);
    const cookie = context.request.getCookie(this.config.REMEMBER_COOKIE_NAME);
    const key = context.config.SECRET_KEY;
    if (cookie === undefined || !key || (await this.sessionOf(context)).get(REMEMBER_KEY) === 'clear') return false;
    return decodeRememberCookie(cookie, key) !== null;
  }

  /**
   * Flask-Login's `unauthorized`: 401, or with a `loginView` a redirect there with the page asked
   * for in `next` (or in the session's `next` with `USE_SESSION_FOR_NEXT`), after flashing the
   * login message. Always throws.
   */
  async unauthorized(target: LoginTarget): Promise<never> {
    return this.refuse(
      target,
      this.options.loginView,
      this.options.loginMessage === undefined ? LOGIN_MESSAGE : this.options.loginMessage,
      this.options.loginMessageCategory ?? 'message',
    );
  }

  /** Flask-Login's `needs_refresh`: 401, or a redirect to `refreshView` with `next`. Always throws. */
  async needsRefresh(target: LoginTarget): Promise<never> {
    return this.refuse(
      target,
      this.options.refreshView,
      this.options.needsRefreshMessage === undefined ? REFRESH_MESSAGE : this.options.needsRefreshMessage,
      this.options.needsRefreshMessageCategory ?? 'message',
    );
  }

  private async refuse(
    target: LoginTarget,
    view: string | null | undefined,
    message: string | null,
    category: string,
  ): Promise<never> {
    if (!view) throw new UnauthorizedException();
    const { context, state } = this.contextOf(target);
    const session = await this.sessionOf(context);
    if (message) flash(session, message, category);
    const current = currentUrl(context);
    const forceHost = this.config.FORCE_HOST_FOR_REDIRECTS;
    if (this.config.USE_SESSION_FOR_NEXT) {
      session.set('_id', this.identifierOf(state));
      session.set('next', makeNextParam(view, current));
      throw new LoginRedirectException(view);
    }
    throw new LoginRedirectException(loginUrl(view, current, { forceHost }));
  }

  /**
   * Flask-Login's `_update_remember_cookie`, run as the session is saved: pops `_remember`
   * (set first when `REMEMBER_COOKIE_REFRESH_EACH_REQUEST` is on) and sets or deletes the cookie.
   */
  private updateRememberCookie(session: AnySession, context: SessionContext): void {
    if (!session.has(REMEMBER_KEY) && this.config.REMEMBER_COOKIE_REFRESH_EACH_REQUEST)
      session.set(REMEMBER_KEY, 'set');
    if (!session.has(REMEMBER_KEY)) return;
    const operation = session.get(REMEMBER_KEY);
    session.delete(REMEMBER_KEY);
    const config = this.config;
    const attributes = { domain: config.REMEMBER_COOKIE_DOMAIN, path: config.REMEMBER_COOKIE_PATH };
    if (operation === 'set' && session.has('_user_id')) {
      const key = context.config.SECRET_KEY;
      if (!key) return;
      const seconds = session.get('_remember_seconds');
      const duration = typeof seconds === 'number' ? seconds : config.REMEMBER_COOKIE_DURATION;
      let expires = new Date(Date.now() + duration * 1000);
      if (Number.isNaN(expires.getTime())) expires = new Date(Date.now() + config.REMEMBER_COOKIE_DURATION * 1000);
      const value = encodeRememberCookie(String(session.get('_user_id')), key);
      const header = serializeSetCookie(config.REMEMBER_COOKIE_NAME, '', {
        ...attributes,
        expires,
        secure: config.REMEMBER_COOKIE_SECURE,
        httpOnly: config.REMEMBER_COOKIE_HTTPONLY,
        sameSite: config.REMEMBER_COOKIE_SAMESITE,
      });
      context.response.appendSetCookie(
        `${config.REMEMBER_COOKIE_NAME}=${quoteCookieValue(value)}${header.slice(config.REMEMBER_COOKIE_NAME.length + 1)}`,
      );
    } else if (operation === 'clear') {
      context.response.appendSetCookie(serializeDeleteCookie(config.REMEMBER_COOKIE_NAME, attributes));
    }
  }
}

/** `regenerate()` of a server-side session (`RedisSession`, Flask-Session's): a new id, the old key deleted. */
async function regenerateIfServerSide(session: AnySession): Promise<void> {
  const regenerate = (session as { regenerate?: () => Promise<void> }).regenerate;
  if (typeof regenerate === 'function') await regenerate.call(session);
}

/**
 * Python's truth value of the session: no keys, or for Flask-Session's sessions (whose
 * `__bool__` ignores it) nothing but `_permanent`.
 */
function isEmptySession(session: AnySession): boolean {
  if (session instanceof FlaskSessionRedisSession) return [...session.keys()].every((key) => key === '_permanent');
  return session.size === 0;
}

/** Werkzeug's `request.url` as far as Flask-Login uses it: scheme, host and the target as sent. */
function currentUrl(context: SessionContext): string {
  const host = (context.request.raw as { headers?: Record<string, string | string[] | undefined> }).headers?.host;
  return `${context.request.secure ? 'https' : 'http'}://${Array.isArray(host) ? host[0] : (host ?? 'localhost')}${context.request.url}`;
}

const NO_QUOTE = /^[\w!#$%&'()*+\-./:<=>?@[\]^`{|}~]*$/;

/** Werkzeug's cookie value quoting: as is when safe, else in double quotes with `\"`, `\\` and octal escapes. */
function quoteCookieValue(value: string): string {
  if (NO_QUOTE.test(value) && /^[\x00-\x7f]*$/.test(value)) return value;
  let quoted = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) quoted += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte === 0x2c || byte === 0x3b || byte >= 0x7f)
      quoted += `\\${byte.toString(8).padStart(3, '0')}`;
    else quoted += String.fromCharCode(byte);
  }
  return `"${quoted}"`;
}
