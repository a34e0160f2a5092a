/** Why a session met outside an HTTP response cannot take a write. */
export type ReadOnlyReason = 'cookie' | 'no-session' | 'new-id' | 'not-saved';

const EXPLANATIONS: Record<ReadOnlyReason, string> = {
  cookie:
    'a WebSocket message cannot set a cookie, and this session lives in the cookie the connection sent with its handshake. ' +
    'Change it over HTTP (a controller or a GraphQL mutation), or use RedisSessionInterface or FlaskSessionRedisInterface, ' +
    'whose sessions a gateway message can change in the store.',
  'no-session':
    "the connection's handshake carried no session, and a session created now would need a cookie the browser cannot " +
    'receive over a WebSocket. Log in over HTTP, then open the connection.',
  'new-id':
    'a new session id (regenerate()) would need a cookie the browser cannot receive over a WebSocket. ' +
    'Regenerate the session over HTTP.',
  'not-saved':
    'nothing saves a session here: it was read from a WebSocket handshake outside a gateway message, or the ' +
    "gateway's messages do not pass through SessionInterceptor (Nest 11 applies no global interceptor to gateways, " +
    'and SessionModule.forRoot({ interceptor: false }) binds none). Add @UseInterceptors(SessionInterceptor) to the ' +
    'gateway, or change the session over HTTP.',
};

/** A write to a session that cannot be saved where it was made (a WebSocket message, for cookie sessions). */
export class ReadOnlySessionError extends Error {
  override readonly name = 'ReadOnlySessionError';

  constructor(readonly reason: ReadOnlyReason) {
    super(`The session cannot change here: ${EXPLANATIONS[reason]}`);
  }
}
