import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie } from '../cookie/cookie-header.js';
import type { CookieOptions } from '../cookie/cookie-options.js';
import { serializeDeleteCookie, serializeSetCookie } from '../cookie/set-cookie.js';
import type { SessionRequest, SessionResponse } from '../sessions/session-http.js';
import { addVaryField } from './vary.js';
import type { WrittenSessionHeaders } from './write-head-headers.js';

type NodeRequest = IncomingMessage & { secure?: boolean; originalUrl?: string };

/** {@link SessionRequest} over a Node `IncomingMessage` (Express's `req`, Fastify's `req.raw`). */
export class NodeSessionRequest implements SessionRequest {
  constructor(readonly raw: NodeRequest) {}

  /** Werkzeug's parsing: quoted values, escapes, the first of a name; never URI-decoded. */
  getCookie(name: string): string | undefined {
    return readCookie(this.raw.headers.cookie, name);
  }

  get url(): string {
    return this.raw.originalUrl ?? this.raw.url ?? '/';
  }

  get trustProxyHint(): string {
    return "tell Express to trust it: app.set('trust proxy', 1) (app.getHttpAdapter().getInstance().set('trust proxy', 1) in Nest)";
  }

  get secure(): boolean {
    if (typeof this.raw.secure === 'boolean') return this.raw.secure;
    return Boolean((this.raw.socket as { encrypted?: boolean } | undefined)?.encrypted);
  }
}

function headerValues(value: number | string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

/** {@link SessionResponse} over a Node `ServerResponse` (Express's `res`, Fastify's `reply.raw`). */
export class NodeSessionResponse implements SessionResponse {
  /**
   * The `Set-Cookie` lines and `Vary` fields written through this seam, so that a later
   * `writeHead(status, headers)`, whose headers replace those set before, keeps them.
   */
  readonly written: { readonly setCookies: string[]; readonly varyFields: string[] } & WrittenSessionHeaders = {
    setCookies: [],
    varyFields: [],
  };

  constructor(
    readonly raw: ServerResponse,
    readonly request: SessionRequest,
  ) {}

  get headersSent(): boolean {
    return this.raw.headersSent;
  }

  setCookie(name: string, value: string, options: CookieOptions = {}): void {
    this.appendSetCookie(serializeSetCookie(name, value, options));
  }

  deleteCookie(name: string, options: Omit<CookieOptions, 'expires' | 'maxAge'> = {}): void {
    this.appendSetCookie(serializeDeleteCookie(name, options));
  }

  addVary(field: string): void {
    if (!this.written.varyFields.includes(field)) this.written.varyFields.push(field);
    const vary = addVaryField(this.raw.getHeader('vary'), field);
    if (vary !== null) this.raw.setHeader('Vary', vary);
  }

  appendSetCookie(header: string): void {
    this.written.setCookies.push(header);
    const existing = this.raw.getHeader('set-cookie');
    this.raw.setHeader('Set-Cookie', existing === undefined ? [header] : [...headerValues(existing), header]);
  }
}
