import type { ExecutionContext } from '@nestjs/common';
import { handlerPlanOf } from './handler-plan.js';
import { missingContextMessage } from './session-binding.js';
import { findSessionContext, type SessionContext } from './http/session-context.js';
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

/**
 * The session context of the request an execution context handles. When its handler writes the
 * response itself (`@Res()`), the platform binding is told to watch that response.
 */
export function sessionContextFor(executionContext: ExecutionContext): SessionContext {
  const context = sessionContextOf(executionContext.switchToHttp().getRequest<object>());
  if (executionContext.getType() === 'http' && handlerPlanOf(executionContext).writesOwnResponse)
    context.expectOwnResponse();
  return context;
}

/**
 * The request's session, opened on first use, for code that has no `@Session()` parameter:
 * guards (which run before interceptors), interceptors, filters, middleware. Takes the
 * `ExecutionContext` or the request (Express's `req`; Fastify's request or its `raw`). Marks the
 * session accessed, as any use of Flask's `session` does.
 */
export async function getSession<T extends SessionData = SessionData>(
  contextOrRequest: ExecutionContext | object,
): Promise<SessionMixin<T>> {
  let context: SessionContext;
  if (isExecutionContext(contextOrRequest)) {
    context = sessionContextFor(contextOrRequest);
  } else {
    context = sessionContextOf(contextOrRequest);
    // A plain request may come from code that answers by itself (middleware, a handler's @Req()).
    context.expectOwnResponse();
  }
  const session = await context.openForHandler();
  session.accessed = true;
  return session as unknown as SessionMixin<T>;
}
