import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoginRequiredException } from './login-required.guard.js';

/** Answers {@link LoginRequiredException} with a redirect to the login page, on Express or Fastify. */
@Catch(LoginRequiredException)
export class LoginRedirectFilter implements ExceptionFilter<LoginRequiredException> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: LoginRequiredException, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.redirect(host.switchToHttp().getResponse(), 302, exception.loginUrl);
  }
}
