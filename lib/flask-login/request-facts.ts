import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The parts of an Express request, a Fastify request or a Node `IncomingMessage` read here. */
interface PlatformRequest {
  method?: string;
  headers?: IncomingHttpHeaders;
  /** Express's and Fastify's client address, which honours their trust-proxy settings. */
  ip?: string;
  socket?: { remoteAddress?: string };
  /** Fastify's underlying `IncomingMessage`. */
  raw?: IncomingMessage;
}

/** How the address part of Flask-Login's session identifier is found. */
export type RemoteAddressSource = 'flask-login' | 'platform';

/** What the login layer reads from a request. */
export interface RequestFacts {
  method: string;
  userAgent: string | undefined;
  /** The `X-Forwarded-For` header, when it is read. */
  forwardedFor: string | undefined;
  remoteAddress: string | undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An IPv4 address in its IPv6-mapped form (`::ffff:127.0.0.1`, a dual-stack socket) reads as plain IPv4, as a Flask server bound to IPv4 sees it. */
function plainAddress(address: string | undefined): string | undefined {
  return address?.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The method, user agent and client address of a platform request. With `'flask-login'` the
 * address is Flask-Login's: the `X-Forwarded-For` header when present, else the socket's peer.
 * With `'platform'` it is the platform's client address (`req.ip`), which trusts
 * `X-Forwarded-For` only as far as Express's `trust proxy` or Fastify's `trustProxy` say.
 */
export function requestFacts(request: object, source: RemoteAddressSource): RequestFacts {
  const req = request as PlatformRequest;
  const headers = req.headers ?? req.raw?.headers ?? {};
  const socketAddress = req.socket?.remoteAddress ?? req.raw?.socket?.remoteAddress;
  const method = (req.method ?? req.raw?.method ?? 'GET').toUpperCase();
  const userAgent = firstHeader(headers['user-agent']);
  if (source === 'platform') {
    return {
      method,
      userAgent,
      forwardedFor: undefined,
      remoteAddress: plainAddress(typeof req.ip === 'string' ? req.ip : socketAddress),
    };
  }
  return {
    method,
    userAgent,
    forwardedFor: firstHeader(headers['x-forwarded-for']),
    remoteAddress: plainAddress(socketAddress),
  };
}
