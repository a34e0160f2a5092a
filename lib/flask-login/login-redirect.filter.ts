import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoginRedirectException } from './login-redirect.exception.js';

/** Answers a {@link LoginRedirectException} with a 302 to its location, as Flask's `redirect()`. */
@Catch(LoginRedirectException)
export class LoginRedirectFilter implements ExceptionFilter<LoginRedirectException> {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: LoginRedirectException, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    this.adapterHost.httpAdapter.redirect(response, exception.getStatus(), exception.location);
  }
}
