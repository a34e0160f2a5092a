import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie } from '../../cookie/cookie-header.js';
import type { CookieOptions } from '../../cookie/cookie-options.js';
import { addVaryField } from '../../http/vary.js';
import { serializeDeleteCookie, serializeSetCookie } from '../../cookie/set-cookie.js';
import type { SessionRequest, SessionResponse } from '../../sessions/session-http.js';

/** The parts of Fastify's `FastifyRequest` the seam reads (Fastify itself is not imported). */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly headers: IncomingMessage['headers'];
  readonly url: string;
  /** `'https'` when the connection or, with `trustProxy`, the proxy says so. */
  readonly protocol: string;
}

/** The parts of Fastify's `FastifyReply` the seam writes through. */
export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  readonly sent: boolean;
  header(name: string, value: unknown): unknown;
  getHeader(name: string): unknown;
}

/** {@link SessionRequest} over a Fastify request. */
export class FastifySessionRequest implements SessionRequest {
  constructor(readonly raw: FastifyRequestLike) {}

  getCookie(name: string): string | undefined {
    return readCookie(this.raw.headers.cookie, name);
  }

  get url(): string {
    return this.raw.url;
  }

  get trustProxyHint(): string {
    return 'tell Fastify to trust it: new FastifyAdapter({ trustProxy: true })';
  }

  /** Fastify's `request.protocol`, which honours `trustProxy`. */
  get secure(): boolean {
    return this.raw.protocol === 'https';
  }
}

/**
 * {@link SessionResponse} over a Fastify reply: headers go through `reply.header()`, so they
 * merge with what the app and its plugins (`@fastify/cookie`) set, instead of being replaced by
 * Fastify's own header object when the reply is written.
 */
export class FastifySessionResponse implements SessionResponse {
  constructor(
    readonly raw: FastifyReplyLike,
    readonly request: SessionRequest,
  ) {}

  get headersSent(): boolean {
    return this.raw.sent || this.raw.raw.headersSent;
  }

  setCookie(name: string, value: string, options: CookieOptions = {}): void {
    this.appendSetCookie(serializeSetCookie(name, value, options));
  }

  deleteCookie(name: string, options: Omit<CookieOptions, 'expires' | 'maxAge'> = {}): void {
    this.appendSetCookie(serializeDeleteCookie(name, options));
  }

  addVary(field: string): void {
    const vary = addVaryField(this.raw.getHeader('vary') as string | string[] | number | undefined, field);
    if (vary !== null) this.raw.header('vary', vary);
  }

  /** Fastify appends `set-cookie` values instead of replacing them. */
  appendSetCookie(header: string): void {
    this.raw.header('set-cookie', header);
  }
}
