import { domainToASCII } from 'node:url';
import { stringifySetCookie } from 'cookie';
import { cookieDomainProblem, cookiePathProblem } from './cookie-attribute-rules.js';
import type { CookieOptions } from './cookie-options.js';

const SAME_SITE_VALUES = new Map([
  ['strict', 'Strict'],
  ['lax', 'Lax'],
  ['none', 'None'],
]);

/** Title-cases and validates a SameSite value, as Werkzeug does; null means no attribute. */
export function normalizeSameSite(value: string | null | undefined): string | null {
  if (value == null) return null;
  const normalized = SAME_SITE_VALUES.get(value.toLowerCase());
  if (!normalized) throw new TypeError(`SameSite must be 'Strict', 'Lax', or 'None' (got '${value}').`);
  return normalized;
}

// Python's urllib.parse.quote(path, safe="%!$&'()*+,/:=@") keeps these bytes; all others are %XX.
const PATH_SAFE = /^[A-Za-z0-9_.\-~%!$&'()*+,/:=@]*$/;
const PATH_UNSAFE_CHAR = /[^A-Za-z0-9_.\-~%!$&'()*+,/:=@]/gu;

function quotePath(path: string): string {
  if (PATH_SAFE.test(path)) return path;
  return path.replace(PATH_UNSAFE_CHAR, (char) =>
    Array.from(Buffer.from(char, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Werkzeug's domain handling: the port and leading dots removed, the name IDNA-encoded. */
export function normalizeDomain(domain: string): string {
  const host = domain.split(':', 1)[0]!.replace(/^\.+/, '');
  // domainToASCII returns '' for names it cannot encode; keep the name then, and let the domain rule refuse it.
  return domainToASCII(host) || host;
}

/** RFC 1123 date in GMT, Werkzeug's `http_date` (sub-second precision is dropped). */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * Serialises one `Set-Cookie` header value byte for byte as Werkzeug's `dump_cookie`:
 * `name=value; Domain; Expires; Max-Age; Secure; HttpOnly; Path; SameSite; Partitioned`.
 * The `cookie` package validates the name and value (RFC 6265); Werkzeug's attribute order is
 * kept so that our headers equal Flask's. A domain or path that could smuggle in other
 * attributes (`example.com; SameSite=None`) throws a `TypeError`, as an invalid name does.
 */
export function serializeSetCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [stringifySetCookie({ name, value }, { encode: (raw: string) => raw })];
  const sameSite = normalizeSameSite(options.sameSite);
  if (options.domain != null) {
    // Werkzeug quirk kept for byte equality: an empty domain still emits `Domain=`.
    const domain = options.domain === '' ? '' : normalizeDomain(options.domain);
    const problem = cookieDomainProblem(options.domain, domain);
    if (problem) throw new TypeError(`Cookie domain ${problem}`);
    parts.push(`Domain=${domain}`);
  }
  if (options.expires != null) parts.push(`Expires=${httpDate(options.expires)}`);
  if (options.maxAge != null) parts.push(`Max-Age=${Math.trunc(options.maxAge)}`);
  if (options.secure || options.partitioned) parts.push('Secure');
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.path != null) {
    const problem = cookiePathProblem(options.path);
    if (problem) throw new TypeError(`Cookie path ${problem}`);
    parts.push(`Path=${quotePath(options.path)}`);
  }
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  if (options.partitioned) parts.push('Partitioned');
  return parts.join('; ');
}

/** Werkzeug's `delete_cookie`: an empty value that expired at the epoch, with `Max-Age=0`. */
export function serializeDeleteCookie(name: string, options: Omit<CookieOptions, 'expires' | 'maxAge'> = {}): string {
  return serializeSetCookie(name, '', { ...options, expires: new Date(0), maxAge: 0 });
}
