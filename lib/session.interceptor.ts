import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { isPromise, SessionContext } from './session-context.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';
import type { SecureCookieSession, SessionData } from './sessions/secure-cookie-session.js';

/**
 * Opens the session before a handler that takes `@Session()`, so the parameter is ready (an
 * asynchronous interface such as Redis cannot be opened inside a parameter decorator). Saving is
 * not done here: the response hook saves right before the headers go out, whichever way the
 * response leaves (returned value, `@Res()`, an exception filter, a guard, a 404).
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const session = SessionContext.of(context.switchToHttp().getRequest<object>());
    if (!session || !this.needsSession(context)) return next.handle();
    // Synchronous interfaces (cookies) open without a promise in the request's path.
    const opened = this.openSession(session);
    return isPromise(opened) ? opened.then(() => next.handle()) : next.handle();
  }

  protected needsSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(SESSION_PARAM_METADATA, context.getHandler()) === true;
  }

  /** The opened session, or a promise of it for an asynchronous interface. */
  protected openSession(session: SessionContext): SecureCookieSession<SessionData> | Promise<SecureCookieSession<SessionData>> {
    return session.openForHandler();
  }
}
