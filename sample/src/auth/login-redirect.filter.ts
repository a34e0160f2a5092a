import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { LoginRequiredException } from './login-required.guard.js';

/** Answers {@link LoginRequiredException} with a redirect to the login page. */
@Catch(LoginRequiredException)
export class LoginRedirectFilter implements ExceptionFilter<LoginRequiredException> {
  catch(exception: LoginRequiredException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().redirect(302, exception.loginUrl);
  }
}
