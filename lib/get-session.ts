import type { ExecutionContext } from '@nestjs/common';
import { handlerPlanOf } from './handler-plan.js';
import { missingContextMessage } from './session-binding.js';
import { findSessionContext, type SessionContext } from './http/session-context.js';
import { handshakeSourceOf, sourceOfNonHttpContext, sourceOfValue, type SessionSource } from './contexts/index.js';
import type { SessionData } from './sessions/session-data.js';
import type { SessionMixin } from './sessions/session-mixin.js';

function isExecutionContext(value: object): value is ExecutionContext {
  return typeof (value as Partial<ExecutionContext>).switchToHttp === 'function';
}

/** The session context of a request, or an error that says how to get one. */
export function sessionContextOf(request: object): SessionContext {
  const context = findSessionContext(request);
  if (!context) throw new Error(missingContextMessage());
  return context;
}

/** A plain request's context; one no platform hook saw may be a WebSocket handshake (socket.io's). */
function requestContextOf(request: object): SessionSource {
  const context = findSessionContext(request);
  if (!context) return handshakeSourceOf(request) ?? sessionContextOf(request);
  // A plain request may come from code that answers by itself (middleware, a handler's @Req()).
  context.expectOwnResponse();
  return context;
}

/**
 * The session context of the request an execution context handles: a controller's request, a
 * GraphQL resolver's HTTP request, or a gateway message's (its connection's handshake). When a
 * controller writes the response itself (`@Res()`), the platform binding is told to watch it.
 */
export function sessionContextFor(executionContext: ExecutionContext): SessionSource {
  if (executionContext.getType() !== 'http') {
    const found = sourceOfNonHttpContext(executionContext);
    if ('source' in found) return found.source;
  }
  return requestSessionContextFor(executionContext);
}

/**
 * The `SessionContext` of the HTTP request behind an execution context (a controller's, or a
 * GraphQL resolver's), for code that also works on the response (its cookies, its save hooks):
 * Flask-Login and CSRF. A gateway message has no response to work on, so it is refused.
 */
export function requestSessionContextFor(executionContext: ExecutionContext): SessionContext {
  if (executionContext.getType() !== 'http') {
    const found = sourceOfNonHttpContext(executionContext);
    if ('request' in found) return sessionContextOf(found.request);
    throw new Error(
      `This works on an HTTP request and its response, and a '${executionContext.getType()}' message has none: ` +
        'log users in and out, and check CSRF tokens, in HTTP controllers or GraphQL resolvers.',
    );
  }
  const context = sessionContextOf(executionContext.switchToHttp().getRequest<object>());
  if (handlerPlanOf(executionContext).writesOwnResponse) context.expectOwnResponse();
  return context;
}

/**
 * The request's session, opened on first use, for code that has no `@Session()` parameter:
 * guards (which run before interceptors), interceptors, filters, middleware. Takes the
 * `ExecutionContext`, the request (Express's `req`; Fastify's request or its `raw`), a GraphQL
 * context object, a gateway's client, or a WebSocket handshake request. Marks the session
 * accessed, as any use of Flask's `session` does.
 */
export async function getSession<T extends SessionData = SessionData>(
  contextOrRequest: ExecutionContext | object,
): Promise<SessionMixin<T>> {
  let context: SessionSource;
  if (isExecutionContext(contextOrRequest)) {
    context = sessionContextFor(contextOrRequest);
  } else {
    const found = sourceOfValue(contextOrRequest);
    context = 'source' in found ? found.source : requestContextOf(found.request);
  }
  const session = await context.openForHandler();
  session.accessed = true;
  return session as unknown as SessionMixin<T>;
}
