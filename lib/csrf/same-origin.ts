interface Origin {
  scheme: string;
  hostname: string | null;
  port: number | null;
}

const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?/;

/** Scheme, host name (lower case) and port of a URL as Python's `urlparse` reads them; `undefined` for an unreadable port. */
function originOf(url: string): Origin | undefined {
  const match = URL_PARTS.exec(url)!;
  const scheme = (match[1] ?? '').toLowerCase();
  const netloc = match[2];
  if (netloc === undefined) return { scheme, hostname: null, port: null };
  const hostPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  let hostname: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    hostname = hostPort.slice(1, close === -1 ? undefined : close);
    const rest = close === -1 ? '' : hostPort.slice(close + 1);
    portText = rest.startsWith(':') ? rest.slice(1) : undefined;
  } else {
    const colon = hostPort.indexOf(':');
    hostname = colon === -1 ? hostPort : hostPort.slice(0, colon);
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
  }
  let port: number | null = null;
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) return undefined;
    port = Number(portText);
  }
  return { scheme, hostname: hostname === '' ? null : hostname.toLowerCase(), port };
}

/**
 * Flask-WTF's `same_origin`: same scheme, host name and port, where an absent port is not the
 * scheme's default (`https://host/` and `https://host:443/` differ, as they do there).
 */
export function sameOrigin(currentUri: string, compareUri: string): boolean {
  const current = originOf(currentUri);
  const compare = originOf(compareUri);
  if (!current || !compare) return false;
  return current.scheme === compare.scheme && current.hostname === compare.hostname && current.port === compare.port;
}
