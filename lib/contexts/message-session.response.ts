import type { SessionRequest, SessionResponse } from '../sessions/session-http.js';
import { ReadOnlySessionError } from './read-only-session.error.js';

/**
 * What a store session's save may write after a WebSocket message: nothing reaches the browser,
 * so the cookie it already holds (the session id) may only be set again as it is, or deleted
 * (the store entry is gone then, so the old id opens an empty session).
 */
export class MessageSessionResponse implements SessionResponse {
  readonly raw = undefined;
  readonly headersSent = false;

  constructor(readonly request: SessionRequest) {}

  setCookie(name: string, value: string): void {
    if (this.request.getCookie(name) !== value) throw new ReadOnlySessionError('new-id');
  }

  /** A serialised `Set-Cookie`: `name=value` comes first, unencoded for the values sessions write. */
  appendSetCookie(header: string): void {
    const pair = header.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq < 0) throw new ReadOnlySessionError('new-id');
    this.setCookie(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }

  deleteCookie(): void {}

  addVary(): void {}
}
