import { applyDecorators, UseGuards } from '@nestjs/common';
import { FreshLoginRequiredGuard, LoginRequiredGuard } from './login-required.guard.js';

/** Flask-Login's `@login_required` for a handler or a controller. */
export function LoginRequired(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(LoginRequiredGuard));
}

/** Flask-Login's `@fresh_login_required` for a handler or a controller. */
export function FreshLoginRequired(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(FreshLoginRequiredGuard));
}
