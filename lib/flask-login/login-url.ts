const UNRESERVED = /[A-Za-z0-9_.\-~]/;

/** Python's `urllib.parse.quote_plus`: UTF-8 percent-encoding, space as `+`, only `_.-~` and alphanumerics kept. */
export function quotePlus(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === ' ') out += '+';
    else if (UNRESERVED.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Python's `unquote_plus`. */
function unquotePlus(text: string): string {
  const bytes: number[] = [];
  const plain = text.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    const hex = plain.slice(i + 1, i + 3);
    if (plain[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(plain[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The parts of a URL as Python's `urlsplit` gives them. */
interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SPLIT = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

function urlSplit(url: string): SplitUrl {
  const match = SPLIT.exec(url)!;
  return {
    scheme: (match[1] ?? '').toLowerCase(),
    netloc: match[2] ?? '',
    path: match[3] ?? '',
    query: match[4] ?? '',
    fragment: match[5] ?? '',
  };
}

function urlUnsplit({ scheme, netloc, path, query, fragment }: SplitUrl): string {
  let url = path;
  if (netloc || (scheme && path.startsWith('//'))) url = `//${netloc}${url}`;
  if (scheme) url = `${scheme}:${url}`;
  if (query) url += `?${query}`;
  if (fragment) url += `#${fragment}`;
  return url;
}

/**
 * Flask-Login's `make_next_param`: the current URL without scheme and host when the login view
 * is on the same scheme and host (or gives none), else the whole URL.
 */
export function makeNextParam(loginUrl: string, currentUrl: string): string {
  const login = urlSplit(loginUrl);
  const current = urlSplit(currentUrl);
  if ((!login.scheme || login.scheme === current.scheme) && (!login.netloc || login.netloc === current.netloc)) {
    return urlUnsplit({ scheme: '', netloc: '', path: current.path, query: current.query, fragment: '' });
  }
  return currentUrl;
}

/**
 * Flask-Login's `login_url`: the login view's URL with `next` (the page asked for) added to its
 * query, the other parameters kept (`parse_qs` then `urlencode(doseq=True)`); `forceHost`
 * replaces the host (`FORCE_HOST_FOR_REDIRECTS`).
 */
export function loginUrl(
  loginView: string,
  nextUrl?: string,
  options: { nextField?: string; forceHost?: string | null } = {},
): string {
  if (nextUrl === undefined) return loginView;
  const nextField = options.nextField ?? 'next';
  const parsed = urlSplit(loginView);
  const params = new Map<string, string[]>();
  for (const part of parsed.query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = unquotePlus(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : unquotePlus(part.slice(eq + 1));
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  params.set(nextField, [makeNextParam(loginView, nextUrl)]);
  const query = [...params]
    .flatMap(([name, values]) => values.map((value) => `${quotePlus(name)}=${quotePlus(value)}`))
    .join('&');
  return urlUnsplit({ ...parsed, netloc: options.forceHost || parsed.netloc, query });
}
