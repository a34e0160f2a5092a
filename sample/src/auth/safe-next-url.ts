/**
 * Where to go after logging in: a path on this site only (`/account?tab=1`), never another
 * origin (`//evil.example`, `https://...`, `/\evil`), so `next` cannot be an open redirect.
 * Flask-Login does not check `next` either: the login view must.
 */
export function safeNextUrl(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return fallback;
  return /[\u0000-\u001f\u007f]/.test(next) ? fallback : next;
}
