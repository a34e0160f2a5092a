/**
 * The session was asked for in an execution context that has no HTTP request behind it
 * (a microservice message handler, `'rpc'`): a Flask session travels in a cookie.
 */
export class SessionOutsideHttpError extends Error {
  override readonly name = 'SessionOutsideHttpError';

  constructor(readonly contextType: string) {
    super(
      `The session is an HTTP concept: it travels in a cookie, and this '${contextType}' handler has no HTTP request ` +
        '(a microservice message, for example). Read the session in the HTTP controller, GraphQL resolver or WebSocket ' +
        'gateway that receives the request, and pass what the handler needs in the message itself.',
    );
  }
}
