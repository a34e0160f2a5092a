import type { ArgumentsHost } from '@nestjs/common';
import type { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';
import { graphqlRequestOf, requestOfGraphqlContext } from './graphql-request.js';
import { SessionOutsideHttpError } from './http-only.error.js';
import { messageSessionFor, messageSessionOfClient } from './message-scope.js';
import { MessageSession } from './message-session.js';
import { handshakeRuntimeOf, isNodeRequest, isWebSocketClient } from './websocket-handshake.js';

/** What opens a session for handler code: a request's `SessionContext`, or a gateway message's session. */
export interface SessionSource {
  openForHandler(): SecureCookieSession<SessionData> | Promise<SecureCookieSession<SessionData>>;
}

/**
 * Where the session of a non-HTTP execution context comes from: a GraphQL resolver's HTTP
 * request (`{ request }`), or a gateway message's session (`{ source }`). Other context types
 * (microservices) have no session.
 */
export function sourceOfNonHttpContext(host: ArgumentsHost): { request: object } | { source: SessionSource } {
  const type = host.getType<string>();
  if (type === 'graphql') return { request: graphqlRequestOf(host) };
  if (type === 'ws') return { source: messageSessionFor(host) };
  throw new SessionOutsideHttpError(type);
}

/**
 * What `getSession(value)` opens for a value that is not an HTTP request of the app: a
 * GraphQL context object (`@Context()`) gives its `req`; a gateway client (`@ConnectedSocket()`)
 * gives the session of its current message; a WebSocket upgrade request (in `verifyClient`)
 * gives its session, read-only. Anything else is taken as the request itself.
 */
export function sourceOfValue(value: object): { request: object } | { source: SessionSource } {
  // Before the GraphQL check: a socket.io client has a `request` too.
  if (isWebSocketClient(value)) return { source: messageSessionOfClient(value) };
  const request = requestOfGraphqlContext(value);
  if (request) return { request };
  if (isNodeRequest(value) && value.headers.upgrade !== undefined) {
    const runtime = handshakeRuntimeOf(value);
    if (runtime) return { source: new MessageSession(runtime, value) };
  }
  return { request: value };
}

/** The session of a handshake request that no platform hook saw (socket.io's polling handshake on Express). */
export function handshakeSourceOf(value: object): SessionSource | undefined {
  if (!isNodeRequest(value)) return undefined;
  const runtime = handshakeRuntimeOf(value, true);
  return runtime ? new MessageSession(runtime, value) : undefined;
}
