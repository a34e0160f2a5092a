import { HttpException, HttpStatus } from '@nestjs/common';

/** Sends the client to the login (or refresh) view: a 302 with `Location`, written by {@link LoginRedirectFilter}. */
export class LoginRedirectException extends HttpException {
  constructor(readonly location: string) {
    super({ statusCode: HttpStatus.FOUND, message: 'Redirecting to the login view.', location }, HttpStatus.FOUND);
    this.name = 'LoginRedirectException';
  }
}
