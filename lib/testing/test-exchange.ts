import { readCookie, serializeDeleteCookie, serializeSetCookie, type CookieOptions } from '../cookie/index.js';
import type { SessionRequest, SessionResponse } from '../sessions/index.js';

/** A request as a test client would send it: only a `Cookie` header, over HTTPS. */
export class TestRequest implements SessionRequest {
  readonly url = '/';
  readonly secure = true;
  readonly raw = null;

  constructor(private readonly cookieHeader?: string) {}

  getCookie(name: string): string | undefined {
    return readCookie(this.cookieHeader, name);
  }
}

/** A response that keeps the `Set-Cookie` headers a session interface writes. */
export class TestResponse implements SessionResponse {
  readonly setCookies: string[] = [];
  readonly headersSent = false;
  readonly raw = null;

  constructor(readonly request: SessionRequest) {}

  setCookie(name: string, value: string, options?: CookieOptions): void {
    this.appendSetCookie(serializeSetCookie(name, value, options));
  }

  appendSetCookie(header: string): void {
    this.setCookies.push(header);
  }

  deleteCookie(name: string, options?: Omit<CookieOptions, 'expires' | 'maxAge'>): void {
    this.appendSetCookie(serializeDeleteCookie(name, options));
  }

  addVary(): void {}
}
