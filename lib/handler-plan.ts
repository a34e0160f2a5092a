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

/** A class, as far as its prototype goes. */
type ClassLike = { readonly prototype: unknown };

function writesOwnResponse(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  if (Reflect.getMetadata(SSE_METADATA, handler)) return true;
  const classRef = context.getClass();
  const key = methodKeyOf(classRef, handler);
  const host = paramsHostOf(classRef, key);
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, host, key) ?? {}) as Record<string, unknown>;
  const passthrough = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, host, key) === true;
  return Object.keys(args).some((arg) => {
    const type = Number(arg.split(':')[0]);
    return type === NEXT_PARAM || (type === RESPONSE_PARAM && !passthrough);
  });
}

/**
 * The property key under which the class (or a class it extends) holds the handler: the key
 * Nest's parameter decorators stored their metadata under. The function's own `name` is not it
 * when a method decorator replaced the method with a wrapper (`descriptor.value = function
 * wrapped() {...}`), or for a symbol-keyed method.
 */
function methodKeyOf(classRef: ClassLike, handler: object): string | symbol {
  for (
    let prototype: object | null = classRef.prototype as object | null;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const key of Reflect.ownKeys(prototype)) {
      if (key !== 'constructor' && Object.getOwnPropertyDescriptor(prototype, key)?.value === handler) return key;
    }
  }
  return (handler as { name?: string }).name ?? '';
}

/**
 * Where the parameter decorators of that method stored their metadata: the class whose
 * prototype declared it, as Nest's `getParamsHost` finds it (a mixin's methods keep their own class).
 */
function paramsHostOf(classRef: ClassLike, key: string | symbol): object {
  const prototype = classRef.prototype as Record<string | symbol, unknown> | undefined;
  const declaring = prototype?.constructor;
  if (
    typeof declaring === 'function' &&
    (declaring.prototype as Record<string | symbol, unknown>)?.[key] === prototype?.[key]
  ) {
    return declaring;
  }
  return classRef;
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
