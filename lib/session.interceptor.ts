import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { interceptMessage } from './contexts/index.js';
import { handlerPlanOf } from './handler-plan.js';
import { findSessionContext, isPromise, type SessionContext } from './http/session-context.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

/** What the interceptor does around one handler, worked out once per handler. */
interface InterceptPlan {
  /** The handler takes `@Session()`: open before it runs (an async interface cannot open inside the parameter). */
  open: boolean;
  /** Nest writes the handler's value: save as it passes (see HandlerPlan.writesOwnResponse). */
  save: boolean;
}

/**
 * Opens the session before a handler that takes `@Session()` and saves it as the handler's value
 * goes to Nest's response, so a returned value, `@Redirect()`, `@Res({ passthrough: true })` and
 * `StreamableFile` are saved in the request's own promise chain. Errors are left to the
 * exception filters: the platform binding saves once a filter has written its response (a
 * filter may still change the session), and whatever leaves without the pipeline (a guard's
 * rejection, the 404 handler, `@Res()` writing by itself).
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  private readonly plans = new WeakMap<object, InterceptPlan>();

  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    const type = context.getType<string>();
    // A gateway message has a session of its own; a GraphQL request's is saved by the platform binding.
    if (type === 'ws') return interceptMessage(context, next, this.planFor(context).open);
    if (type !== 'http') return next.handle();
    const session = findSessionContext(context.switchToHttp().getRequest<object>());
    if (!session) return next.handle();
    const plan = this.planFor(context);
    if (!plan.save) session.expectOwnResponse();
    if (!plan.open) return plan.save ? saveAfter(session, next.handle()) : next.handle();
    const opened = this.openSession(session);
    if (!isPromise(opened)) return plan.save ? saveAfter(session, next.handle()) : next.handle();
    return opened.then(() => (plan.save ? saveAfter(session, next.handle()) : next.handle()));
  }

  protected needsSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(SESSION_PARAM_METADATA, context.getHandler()) === true;
  }

  /** The opened session, or a promise of it for an asynchronous interface. */
  protected openSession(session: SessionContext): unknown {
    return session.openForHandler();
  }

  private planFor(context: ExecutionContext): InterceptPlan {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (!plan) {
      plan = { open: this.needsSession(context), save: !handlerPlanOf(context).writesOwnResponse };
      this.plans.set(handler, plan);
    }
    return plan;
  }
}

/**
 * The handler's values, each passed on once the session is saved (synchronously for a cookie
 * interface, after the store's write for Redis). Completion waits for the last save.
 */
function saveAfter(session: SessionContext, stream: Observable<unknown>): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    let pending = 0;
    let completed = false;
    return stream.subscribe({
      next(value) {
        let result: void | Promise<void>;
        try {
          result = session.save();
        } catch (error) {
          subscriber.error(session.toHttpError('saving', error));
          return;
        }
        if (!isPromise(result)) {
          subscriber.next(value);
          return;
        }
        pending++;
        result.then(
          () => {
            subscriber.next(value);
            if (--pending === 0 && completed) subscriber.complete();
          },
          (error: unknown) => subscriber.error(session.toHttpError('saving', error)),
        );
      },
      error(error: unknown) {
        subscriber.error(error);
      },
      complete() {
        completed = true;
        if (pending === 0) subscriber.complete();
      },
    });
  });
}
