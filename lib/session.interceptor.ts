import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { SessionContext } from './session-context.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

/**
 * Opens the session before a handler that takes `@Session()`, so the parameter is ready (an
 * asynchronous interface such as Redis cannot be opened inside a parameter decorator). Saving is
 * not done here: the response hook saves right before the headers go out, whichever way the
 * response leaves (returned value, `@Res()`, an exception filter, a guard, a 404).
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const session = SessionContext.of(context.switchToHttp().getRequest<object>());
    if (!session) return next.handle();
    if (this.needsSession(context)) await this.openSession(session);
    return next.handle();
  }

  protected needsSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(SESSION_PARAM_METADATA, context.getHandler()) === true;
  }

  protected async openSession(session: SessionContext): Promise<void> {
    await session.openForRequest();
  }
}
