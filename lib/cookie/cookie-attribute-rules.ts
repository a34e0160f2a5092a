/**
 * Rules a session cookie's attributes must follow, checked at start-up (naming the config key)
 * and again whenever a `Set-Cookie` header is written, since getters may compute attributes per
 * request. Each function returns what is wrong, or null.
 */

// A host name or IPv4 address after the port and leading dots are removed: letters, digits,
// hyphens and underscores between dots. Nothing that could end the attribute (`;`, `,`,
// whitespace, quotes, control characters) gets through.
const DOMAIN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;
// Checked before IDNA encoding too, which silently drops tabs and line breaks.
const FORBIDDEN_IN_DOMAIN = /[\x00-\x20\x7f;,"\\]/;

// `scheme://`: a URL given where a host name belongs (`http://example.com` would become `Domain=http`).
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** What is wrong with a `Domain` value, given as configured and after Werkzeug's normalisation, or null. */
export function cookieDomainProblem(domain: string, normalized: string): string | null {
  if (domain === '') return null;
  if (URL_SCHEME.test(domain) || domain.includes('/')) {
    return `must be a host name such as 'example.com', not a URL (no scheme, no path), got ${JSON.stringify(domain)}`;
  }
  if (!FORBIDDEN_IN_DOMAIN.test(domain) && DOMAIN.test(normalized)) return null;
  return `must be a host name such as 'example.com', got ${JSON.stringify(domain)}`;
}

/**
 * {@link cookieDomainProblem} for the configured `SESSION_COOKIE_DOMAIN`, which also may not name a
 * port: Werkzeug drops one silently (a domain a getter derives from the `Host` header keeps
 * working), but in the configuration it is a mistake, as cookies are shared by every port.
 */
export function configuredCookieDomainProblem(domain: string, normalized: string): string | null {
  const problem = cookieDomainProblem(domain, normalized);
  if (problem !== null || !domain.includes(':')) return problem;
  return `must be a host name without a port (a cookie is sent to every port of its host), got ${JSON.stringify(domain)}`;
}

/** What is wrong with a `Path` value, or null. Browsers ignore a path that does not start with `/`. */
export function cookiePathProblem(path: string): string | null {
  return path.startsWith('/') ? null : `must start with '/', got '${path}'`;
}

/**
 * What breaks a cookie-name prefix rule (`__Secure-`, `__Host-`), or null. Browsers match the
 * prefixes case-insensitively, so `__host-` is held to the same rules.
 */
export function cookiePrefixProblem(
  name: string,
  attributes: { secure: boolean; domain: string | null | undefined; path: string | null | undefined },
): string | null {
  if (name.charCodeAt(0) !== 95 /* _ */ || name.charCodeAt(1) !== 95) return null;
  const lower = name.slice(0, 9).toLowerCase();
  if (lower === '__secure-') {
    return attributes.secure ? null : `starts with ${name.slice(0, 9)}, which needs SESSION_COOKIE_SECURE=true`;
  }
  if (lower.startsWith('__host-')) {
    const prefix = name.slice(0, 7);
    if (!attributes.secure) return `starts with ${prefix}, which needs SESSION_COOKIE_SECURE=true`;
    if (attributes.domain != null) return `starts with ${prefix}, which forbids SESSION_COOKIE_DOMAIN: leave it unset`;
    if (attributes.path !== '/') {
      return `starts with ${prefix}, which needs the cookie path '/' (SESSION_COOKIE_PATH or APPLICATION_ROOT is '${String(attributes.path)}')`;
    }
  }
  return null;
}
