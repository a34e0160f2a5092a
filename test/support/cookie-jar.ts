import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

/**
 * A browser-like cookie jar over `fetch` for an app listening on 127.0.0.1: it stores what
 * `Set-Cookie` says (a past `Expires` or `Max-Age=0` deletes) and sends it back.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** A jar for an app, which is made to listen on a free port of 127.0.0.1 first. */
  static async forApp(app: INestApplication): Promise<CookieJar> {
    const server = app.getHttpServer() as { listening: boolean; address(): AddressInfo | string | null };
    if (!server.listening) await app.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    return new CookieJar(`http://127.0.0.1:${port}`);
  }

  /** The `Cookie` header the jar sends now. */
  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Every `Set-Cookie` of a response, stored. */
  store(response: Response): string[] {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((attribute) => {
        const [key = '', attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(attributeValue) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.header);
    const response = await fetch(this.baseUrl + path, { ...init, headers });
    this.store(response);
    return response;
  }
}
