import type { ExecutionContext } from '@nestjs/common';

// Nest's metadata keys and parameter types (`@nestjs/common` constants, stable across 11 and 12).
const ROUTE_ARGS_METADATA = '__routeArguments__';
const RESPONSE_PASSTHROUGH_METADATA = '__responsePassthrough__';
const SSE_METADATA = '__sse__';
const RESPONSE_PARAM = 1;
const NEXT_PARAM = 2;

/** How Nest answers one handler, worked out once per handler. */
export interface HandlerPlan {
  /**
   * The handler writes the response itself (`@Res()`/`@Next()` without passthrough) or streams
   * it (`@Sse()`): Nest does not write its value, so the session is saved by the platform hook
   * when the headers go out, not by the interceptor.
   */
  writesOwnResponse: boolean;
}

const plans = new WeakMap<object, HandlerPlan>();

function writesOwnResponse(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  if (Reflect.getMetadata(SSE_METADATA, handler)) return true;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
    string,
    unknown
  >;
  const passthrough = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, context.getClass(), handler.name) === true;
  return Object.keys(args).some((key) => {
    const type = Number(key.split(':')[0]);
    return type === NEXT_PARAM || (type === RESPONSE_PARAM && !passthrough);
  });
}

const NO_HANDLER: HandlerPlan = { writesOwnResponse: false };

/**
 * The plan of the handler an execution context runs. An `ArgumentsHost` of an exception filter
 * or a context built outside the router may have no handler: the platform hook sees those.
 */
export function handlerPlanOf(context: ExecutionContext): HandlerPlan {
  const handler = typeof context.getHandler === 'function' ? context.getHandler() : undefined;
  if (typeof handler !== 'function') return NO_HANDLER;
  let plan = plans.get(handler);
  if (!plan) {
    plan = { writesOwnResponse: writesOwnResponse(context) };
    plans.set(handler, plan);
  }
  return plan;
}
