import { cookiePrefixProblem } from '../cookie/cookie-attribute-rules.js';
import type { CookieOptions } from '../cookie/cookie-options.js';
import { OversizeCookieError } from '../cookie/oversize-cookie.error.js';
import { serializeSetCookie } from '../cookie/set-cookie.js';
import type { SessionLogger, SessionRequest, SessionResponse } from './session-http.js';
import { NullSession } from './null-session.js';
import type { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import type { SessionConfig } from '../config/session-config.js';

/** The session cookie's name and attributes for one response, from the getters. */
export interface SessionCookieAttributes {
  name: string;
  domain: string | null;
  path: string;
  secure: boolean;
  partitioned: boolean;
  sameSite: string | null;
  httpOnly: boolean;
}

/** A class whose instances are null sessions (Flask's `null_session_class`). */
export type NullSessionClass = new () => NullSession<SessionData>;

/**
 * Opens and saves sessions: Flask's `SessionInterface`. Subclass it to store sessions elsewhere,
 * and register the subclass as the `SessionInterface` provider. It is also the DI token.
 *
 * Every getter receives the resolved config and is called on each save, as in Flask, so a
 * subclass may compute any of them per request (the response carries its `request`).
 */
export abstract class SessionInterface<S extends SecureCookieSession<SessionData> = SecureCookieSession<SessionData>> {
  nullSessionClass: NullSessionClass = NullSession;

  /**
   * Flask's `pickle_based`: whether sessions are pickled, which Flask-era extensions check
   * before trusting one. Never true here: every interface stores JSON.
   */
  pickleBased = false;

  /** Where warnings go (undecodable cookies, oversize cookies). The module sets Nest's `Logger`. */
  logger: SessionLogger = console;

  private warnedInsecure = false;

  makeNullSession(_config: SessionConfig): NullSession<SessionData> {
    return new this.nullSessionClass();
  }

  isNullSession(session: unknown): session is NullSession<SessionData> {
    return session instanceof this.nullSessionClass;
  }

  getCookieName(config: SessionConfig, _request?: SessionRequest): string {
    return config.SESSION_COOKIE_NAME;
  }

  getCookieDomain(config: SessionConfig, _request?: SessionRequest): string | null {
    return config.SESSION_COOKIE_DOMAIN;
  }

  /** `SESSION_COOKIE_PATH`, or `APPLICATION_ROOT` when that is empty. */
  getCookiePath(config: SessionConfig, _request?: SessionRequest): string {
    return config.SESSION_COOKIE_PATH || config.APPLICATION_ROOT;
  }

  getCookieHttpOnly(config: SessionConfig, _request?: SessionRequest): boolean {
    return config.SESSION_COOKIE_HTTPONLY;
  }

  getCookieSecure(config: SessionConfig, _request?: SessionRequest): boolean {
    return config.SESSION_COOKIE_SECURE;
  }

  getCookieSameSite(config: SessionConfig, _request?: SessionRequest): string | null {
    return config.SESSION_COOKIE_SAMESITE;
  }

  getCookiePartitioned(config: SessionConfig, _request?: SessionRequest): boolean {
    return config.SESSION_COOKIE_PARTITIONED;
  }

  /** Now plus `PERMANENT_SESSION_LIFETIME` for a permanent session, else null (browser-session cookie). */
  getExpirationTime(config: SessionConfig, session: S): Date | null {
    if (!session.permanent) return null; // truthiness, as Flask
    return new Date(Date.now() + config.PERMANENT_SESSION_LIFETIME * 1000);
  }

  /** Modified sessions are saved; permanent ones also on every request when refreshing is on. */
  shouldSetCookie(config: SessionConfig, session: S): boolean {
    return session.modified || (Boolean(session.permanent) && config.SESSION_REFRESH_EACH_REQUEST);
  }

  /** Calls every cookie getter once, in Flask's order, for a save. */
  protected getCookieAttributes(config: SessionConfig, request: SessionRequest): SessionCookieAttributes {
    return {
      name: this.getCookieName(config, request),
      domain: this.getCookieDomain(config, request),
      path: this.getCookiePath(config, request),
      secure: this.getCookieSecure(config, request),
      partitioned: this.getCookiePartitioned(config, request),
      sameSite: this.getCookieSameSite(config, request),
      httpOnly: this.getCookieHttpOnly(config, request),
    };
  }

  /**
   * Sets the session cookie, applying `MAX_COOKIE_SIZE` and `SESSION_COOKIE_SIZE_POLICY` first:
   * browsers silently drop a cookie over about 4 KB, which looks like a lost login. Attributes
   * that getters computed per request are held to the start-up rules again (cookie prefixes here,
   * domain and path in the serializer).
   */
  protected setSessionCookie(
    config: SessionConfig,
    response: SessionResponse,
    name: string,
    value: string,
    options: CookieOptions,
  ): void {
    const prefixProblem = cookiePrefixProblem(name, {
      secure: Boolean(options.secure || options.partitioned),
      domain: options.domain,
      path: options.path,
    });
    if (prefixProblem) throw new TypeError(`The session cookie '${name}' ${prefixProblem}`);
    const header = serializeSetCookie(name, value, options);
    const limit = config.MAX_COOKIE_SIZE;
    if (limit && header.length > limit) {
      const error = new OversizeCookieError(name, header.length, limit, value.length);
      if (config.SESSION_COOKIE_SIZE_POLICY === 'error') throw error;
      this.logger.warn(error.message);
    }
    if ((options.secure || options.partitioned) && !response.request.secure && !this.warnedInsecure) {
      // cookie-session refuses silently here; we send the cookie (the browser decides) but say why it may vanish.
      this.warnedInsecure = true;
      this.logger.warn(
        `The '${name}' cookie is Secure but this request came over plain HTTP, so browsers will not store it. ` +
          `Behind a TLS-terminating proxy, ${response.request.trustProxyHint ?? "tell the HTTP platform to trust the proxy's X-Forwarded-Proto"}. ` +
          'This warning is logged once.',
      );
    }
    response.appendSetCookie(header);
  }

  /**
   * Whether saving a request whose code never used the session has to open it: Flask opens every
   * request's session, so an untouched permanent one is still refreshed. Interfaces that can tell
   * from the request that the save would do nothing answer false, and the session is not opened.
   */
  mustOpenToSave(_config: SessionConfig, _request: SessionRequest): boolean {
    return true;
  }

  /**
   * Start-up checks of what this interface needs from the resolved config, beyond the config's
   * own rules: throws a `SessionConfigError` naming the key. `SessionModule` calls it once.
   */
  checkConfig(_config: SessionConfig): void {}

  /** Whether sessions need `SECRET_KEY` (the module warns at start-up when it is missing). */
  requiresSecretKey(_config: SessionConfig): boolean {
    return true;
  }

  /** Returns the request's session, or null to give the request a null session. */
  abstract openSession(config: SessionConfig, request: SessionRequest): S | null | Promise<S | null>;

  /** Writes the session to the response (never called for null sessions). */
  abstract saveSession(config: SessionConfig, session: S, response: SessionResponse): void | Promise<void>;
}
