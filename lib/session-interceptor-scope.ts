import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { SessionInterceptor } from './session.interceptor.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

/** Nest's metadata key of `@UseInterceptors()` (`@nestjs/common` constants, stable across 11 and 12). */
const INTERCEPTORS_METADATA = '__interceptors__';

type Intercept = (context: ExecutionContext, next: CallHandler) => Observable<unknown> | Promise<Observable<unknown>>;

/**
 * The module's global interceptor. A global interceptor makes Nest run its interceptor pipeline
 * for every route, also routes that never use the session, so the module hides it from Nest
 * while the app registers its HTTP routes (Nest decides then, once per route, which
 * interceptors a route runs) and puts the interceptor on the handlers that take `@Session()`
 * instead ({@link attachToSessionHandlers}). Everything registered outside that window (gateways,
 * which Nest 12 gives global interceptors, and routes added later) still gets it.
 */
export class ModuleSessionInterceptor {
  private hidden = false;
  private readonly run: Intercept;

  /** @param interceptor null for the pass-through a factory's `interceptor: false` leaves in place. */
  constructor(readonly interceptor: SessionInterceptor | null) {
    this.run = interceptor
      ? (context, next) => interceptor.intercept(context, next)
      : (_context, next) => next.handle();
  }

  /** What Nest calls; undefined while hidden, so Nest leaves it out of the routes it registers then. */
  get intercept(): Intercept | undefined {
    return this.hidden ? undefined : this.run;
  }

  hide(): void {
    this.hidden = true;
  }

  show(): void {
    this.hidden = false;
  }
}

/** Handlers the interceptor was put on, to take it off again. */
export interface AttachedInterceptor {
  detach(): void;
}

function methodsOf(prototype: object): Set<(...args: unknown[]) => unknown> {
  const methods = new Set<(...args: unknown[]) => unknown>();
  for (
    let proto: object | null = prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === 'function') methods.add(descriptor.value as (...args: unknown[]) => unknown);
    }
  }
  return methods;
}

/**
 * Adds `interceptor` to the interceptors of every handler with a `@Session()` parameter among the
 * app's controllers, first among the handler's own, for as long as the app registers its routes
 * (Nest reads the list then). Metadata lives on the controller classes, which other apps in the
 * process may share: the interceptor is taken off again by {@link AttachedInterceptor.detach},
 * leaving whatever else is there, and runs only for requests `owns` accepts (another app
 * registering its routes at the same time passes its requests through).
 */
export function attachToSessionHandlers(
  modules: ModulesContainer,
  interceptor: SessionInterceptor,
  owns: (request: object) => boolean,
): AttachedInterceptor {
  const routeInterceptor = {
    intercept: (context: ExecutionContext, next: CallHandler) =>
      context.getType() !== 'http' || owns(context.switchToHttp().getRequest<object>())
        ? interceptor.intercept(context, next)
        : next.handle(),
  };
  const handlers: Array<(...args: unknown[]) => unknown> = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const handler of methodsOf(prototype)) {
        if (Reflect.getMetadata(SESSION_PARAM_METADATA, handler) !== true || handlers.includes(handler)) continue;
        const own = (Reflect.getOwnMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [routeInterceptor, ...own], handler);
        handlers.push(handler);
      }
    }
  }
  return {
    detach() {
      for (const handler of handlers) {
        const own = (Reflect.getOwnMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        const rest = own.filter((entry) => entry !== routeInterceptor);
        if (rest.length) Reflect.defineMetadata(INTERCEPTORS_METADATA, rest, handler);
        else Reflect.deleteMetadata(INTERCEPTORS_METADATA, handler);
      }
    },
  };
}
