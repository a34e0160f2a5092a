/** Attributes of a `Set-Cookie` header, with Werkzeug's `set_cookie` meanings. */
export interface CookieOptions {
  /** Absolute expiry; omitted means a browser-session cookie. */
  expires?: Date | null;
  /** Seconds; Flask's sessions only send it when deleting (`Max-Age=0`). */
  maxAge?: number | null;
  /** The port and leading dots are removed, and the name is IDNA-encoded. */
  domain?: string | null;
  /** Percent-encoded like Python's `urllib.parse.quote`; null omits the attribute. */
  path?: string | null;
  secure?: boolean;
  httpOnly?: boolean;
  /** `'Strict'`, `'Lax'` or `'None'` in any case; anything else throws. */
  sameSite?: string | null;
  /** Forces `Secure`, as browsers require. */
  partitioned?: boolean;
}

/** What to do when a serialised `Set-Cookie` header is longer than its size limit. */
export type OversizeCookiePolicy = 'warn' | 'error';

export interface SetCookieOptions extends CookieOptions {
  /** The size limit of the whole header value; 0 or null disables the check. @default 4093 */
  maxSize?: number | null;
  /** @default 'warn' (Flask's behaviour: log and still send) */
  oversize?: OversizeCookiePolicy;
}
