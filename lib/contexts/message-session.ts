import { guardBracketAccess } from '../sessions/secure-cookie-session.js';
import type { IncomingMessage } from 'node:http';
import { NodeSessionRequest } from '../http/node-http.adapter.js';
import { isPromise, type SessionRuntime } from '../http/session-context.js';
import type { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';
import type { SessionRequest } from '../sessions/session-http.js';
import { MessageSessionResponse } from './message-session.response.js';
import type { ReadOnlyReason } from './read-only-session.error.js';
import { guardWrites } from './read-only-session.js';

type AnySession = SecureCookieSession<SessionData>;

/** A session that lives in a store keeps its id in the cookie; a cookie session has none. */
function isStoreSession(session: AnySession): session is AnySession & { readonly id: string } {
  return typeof (session as { id?: unknown }).id === 'string';
}

/**
 * The session of one WebSocket message: read afresh from the connection's handshake request
 * (so a message sees what HTTP requests stored since, and a logout elsewhere), opened once for
 * the message, and saved after its handler when the store can take the change. A cookie session
 * is read-only here: the message cannot send a cookie back.
 */
export class MessageSession {
  private opening?: Promise<AnySession>;
  private session?: AnySession;
  private view?: AnySession;
  /** True once the SessionInterceptor took charge of saving this message's session. */
  savable = false;

  private readonly request: SessionRequest;

  constructor(
    private readonly runtime: SessionRuntime,
    handshake: IncomingMessage,
  ) {
    this.request = new NodeSessionRequest(handshake);
  }

  /** The session, opened on first use (synchronously for cookie interfaces), with writes checked. */
  openForHandler(): AnySession | Promise<AnySession> {
    if (this.view) return this.view;
    if (this.opening) return this.opening;
    const { sessionInterface, config } = this.runtime;
    const result = sessionInterface.openSession(config, this.request);
    if (!isPromise<AnySession | null>(result)) return this.adopt(result);
    this.opening = result.then((session) => this.adopt(session));
    return this.opening;
  }

  private adopt(session: AnySession | null): AnySession {
    this.session = session ?? this.runtime.sessionInterface.makeNullSession(this.runtime.config);
    // As on HTTP: `session['key'] = value` fails at once instead of being silently lost.
    guardBracketAccess(this.session);
    this.view = guardWrites(this.session, (write) => this.refusal(write));
    return this.view;
  }

  private refusal(write: string | symbol): ReadOnlyReason | undefined {
    const session = this.session;
    if (!session || this.runtime.sessionInterface.isNullSession(session)) return undefined;
    if (!isStoreSession(session)) return 'cookie';
    if (session.new) return 'no-session';
    if (write === 'regenerate') return 'new-id';
    return this.savable ? undefined : 'not-saved';
  }

  /** Writes a changed store session back (nothing for an untouched one); never sets a cookie. */
  save(): void | Promise<void> {
    const session = this.session;
    if (!session || !session.modified || this.runtime.sessionInterface.isNullSession(session)) return undefined;
    const { sessionInterface, config } = this.runtime;
    return sessionInterface.saveSession(config, session, new MessageSessionResponse(this.request));
  }
}
