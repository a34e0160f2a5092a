import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { sessionContextFor } from './get-session.js';
import { isPromise } from './http/session-context.js';
import type { SecureCookieSession } from './sessions/secure-cookie-session.js';
import type { SessionData } from './sessions/session-data.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

function select(session: SecureCookieSession<SessionData>, key: string | undefined): unknown {
  session.accessed = true;
  return key === undefined ? session : session.get(key);
}

const sessionParam = createParamDecorator((key: string | undefined, context: ExecutionContext): unknown => {
  // Usually the interceptor opened it already; without the interceptor it opens here. Nest awaits
  // a promise returned for a custom parameter, which covers asynchronous interfaces.
  const session = sessionContextFor(context).openForHandler();
  return isPromise(session) ? session.then((opened) => select(opened, key)) : select(session, key);
});

/**
 * The request's session (`@Session() session: SecureCookieSession<MyData>`), or one of its
 * values (`@Session('userId') userId?: number`). Using it marks the session accessed, so the
 * response gets `Vary: Cookie`. This is nest-flask-session's `Session`, not `@nestjs/common`'s.
 */
export function Session(key?: string): ParameterDecorator {
  return (target, propertyKey, index) => {
    sessionParam(key)(target, propertyKey, index);
    // Tells the interceptor to open the session before the handler, so the parameter is ready.
    if (propertyKey !== undefined) {
      const handler = (target as Record<string | symbol, unknown>)[propertyKey];
      if (typeof handler === 'function') Reflect.defineMetadata(SESSION_PARAM_METADATA, true, handler);
    }
  };
}
