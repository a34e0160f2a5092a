import type { CookieOptions } from '../cookie/cookie-options.js';

/** What a session interface may read from a request. */
export interface SessionRequest {
  /** The first cookie of that name in the `Cookie` header (Werkzeug's `request.cookies.get`). */
  getCookie(name: string): string | undefined;
  /** The request target as sent (path and query). */
  readonly url: string;
  /** Whether the request came over HTTPS (Express honours `trust proxy` here, Fastify `trustProxy`). */
  readonly secure: boolean;
  /** How to make {@link secure} believe a TLS-terminating proxy on this platform, for warnings. */
  readonly trustProxyHint?: string;
  /** The framework's own request object, for custom interfaces that need more. */
  readonly raw: unknown;
}

/** What a session interface may write to a response. */
export interface SessionResponse {
  /** The request this response answers (lets getters such as `getCookieName` depend on it). */
  readonly request: SessionRequest;
  /** Appends a `Set-Cookie` header; earlier ones, even for the same name, are kept. */
  setCookie(name: string, value: string, options?: CookieOptions): void;
  /** Appends an already serialised `Set-Cookie` header value. */
  appendSetCookie(header: string): void;
  deleteCookie(name: string, options?: Omit<CookieOptions, 'expires' | 'maxAge'>): void;
  /** Adds a field to `Vary` unless it is there already (compared case-insensitively). */
  addVary(field: string): void;
  /** True once the status line and headers went out; nothing can be set after that. */
  readonly headersSent: boolean;
  /** The framework's own response object. */
  readonly raw: unknown;
}

/** Logging seam: Nest's `Logger` fits it, and so does `console`. */
export interface SessionLogger {
  warn(message: string): void;
  error(message: string, ...optionalParams: unknown[]): void;
}
