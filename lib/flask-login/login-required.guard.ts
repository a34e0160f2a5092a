import { requestSessionContextFor } from '../get-session.js';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { LoginManager } from './login-manager.service.js';
import { LOGIN_EXEMPT_METHODS } from './login.constants.js';
import { requestFacts } from './request-facts.js';

/**
 * Flask-Login's `login_required`: lets a logged-in user through, else calls
 * {@link LoginManager.unauthorized} (401, or the redirect to the login view). `OPTIONS` requests
 * and `LOGIN_DISABLED` pass.
 */
@Injectable()
export class LoginRequiredGuard implements CanActivate {
  constructor(@Inject(LoginManager) protected readonly loginManager: LoginManager) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.exempt(context)) return true;
    if (!(await this.loginManager.currentUser(context))) await this.loginManager.unauthorized(context);
    return true;
  }

  protected exempt(context: ExecutionContext): boolean {
    const request = requestSessionContextFor(context).request.raw as object;
    const method = requestFacts(request, 'flask-login').method;
    return LOGIN_EXEMPT_METHODS.has(method) || this.loginManager.config.LOGIN_DISABLED;
  }
}

/**
 * Flask-Login's `fresh_login_required`: as {@link LoginRequiredGuard}, and a login restored from
 * the remember-me cookie (not fresh) gets {@link LoginManager.needsRefresh}.
 */
@Injectable()
export class FreshLoginRequiredGuard extends LoginRequiredGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.exempt(context)) return true;
    if (!(await this.loginManager.currentUser(context))) await this.loginManager.unauthorized(context);
    if (!(await this.loginManager.loginFresh(context))) await this.loginManager.needsRefresh(context);
    return true;
  }
}
