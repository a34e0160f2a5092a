import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mergeMap, type Observable } from 'rxjs';
import { SessionContext } from './session-context.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

/**
 * Opens the session before a handler that takes `@Session()`, and saves it after the handler
 * returns, so a failing save goes through Nest's exception filters like any error. Responses
 * that leave another way (errors, `@Res()`, guards) are saved by the response hook.
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const session = SessionContext.of(context.switchToHttp().getRequest<object>());
    if (!session) return next.handle();
    if (this.needsSession(context)) await this.openSession(session);
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.saveSession(session);
        return value;
      }),
    );
  }

  protected needsSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(SESSION_PARAM_METADATA, context.getHandler()) === true;
  }

  protected async openSession(session: SessionContext): Promise<void> {
    await session.openForRequest();
  }

  protected async saveSession(session: SessionContext): Promise<void> {
    if (session.saved) return;
    try {
      await session.save();
    } catch (error) {
      throw session.toHttpError('saving', error);
    }
  }
}
