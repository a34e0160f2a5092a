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

  appendSetCookie(): void {
    throw new ReadOnlySessionError('new-id');
  }

  deleteCookie(): void {}

  addVary(): void {}
}
