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
