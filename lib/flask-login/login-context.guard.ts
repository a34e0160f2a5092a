import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { LoginManager } from './login-manager.service.js';

/**
 * Registered app-wide by `LoginModule`: binds each HTTP request to the login manager, so
 * `@CurrentUser()` finds it and the remember-me cookie is kept up to date as the session is saved
 * (Flask-Login's `after_request`). Never refuses a request.
 */
@Injectable()
export class LoginContextGuard implements CanActivate {
  constructor(@Inject(LoginManager) private readonly loginManager: LoginManager) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') this.loginManager.bind(context);
    return true;
  }
}
