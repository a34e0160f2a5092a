import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CsrfService } from './csrf.service.js';
import { CSRF_EXEMPT_METADATA } from './csrf.constants.js';

/**
 * Flask-WTF's `CSRFProtect` for the handlers it guards (`@UseGuards(CsrfGuard)` on a controller or
 * handler): requests of `WTF_CSRF_METHODS` need a valid token, else a 400 {@link CsrfError} says
 * why. `@CsrfExempt()` handlers and controllers pass.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    @Inject(CsrfService) protected readonly csrf: CsrfService,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || this.isExempt(context)) return true;
    await this.csrf.protect(context);
    return true;
  }

  protected isExempt(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(CSRF_EXEMPT_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/** The app-wide {@link CsrfGuard} `CsrfModule` registers: it checks every route unless `WTF_CSRF_CHECK_DEFAULT` is false. */
@Injectable()
export class AppCsrfGuard extends CsrfGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.csrf.config.WTF_CSRF_CHECK_DEFAULT) return true;
    return super.canActivate(context);
  }
}
