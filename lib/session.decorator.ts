import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { sessionContextFor } from './get-session.js';
import type { SessionSource } from './contexts/index.js';
import { isPromise, SessionContext } from './http/session-context.js';
import { NullSession } from './sessions/null-session.js';
import { SecureCookieSession } from './sessions/secure-cookie-session.js';
import type { SessionData } from './sessions/session-data.js';
import { SESSION_PARAM_METADATA } from './session.constants.js';

type AnySession = SecureCookieSession<SessionData>;

interface SessionParam {
  /** `@Session('userId')`: the value of one key instead of the session. */
  key?: string;
  /** The session class the parameter is declared as, when narrower than every session (`RedisSession`). */
  declared?: Type<AnySession>;
  /** `Controller.method()`, for the error message. */
  where?: string;
}

/** A parameter declared `RedisSession` on an app whose interface gives another kind fails at once, saying so. */
function checkDeclaredClass(source: SessionSource, session: AnySession, param: SessionParam): void {
  const declared = param.declared;
  if (!declared || session instanceof NullSession || session instanceof declared) return;
  const configured = source instanceof SessionContext ? ` (${source.sessionInterface.constructor.name})` : '';
  const actual = (session as object).constructor.name;
  throw new TypeError(
    `@Session() in ${param.where ?? 'a handler'} is declared ${declared.name}, but the configured session interface` +
      `${configured} gives ${actual} sessions. Declare it as SessionMixin (any session) or ` +
      `${actual}, or give SessionModule the interface whose sessions are ${declared.name}s.`,
  );
}

function select(source: SessionSource, session: AnySession, param: SessionParam): unknown {
  checkDeclaredClass(source, session, param);
  session.accessed = true;
  return param.key === undefined ? session : session.get(param.key);
}

const sessionParam = createParamDecorator((param: SessionParam, executionContext: ExecutionContext): unknown => {
  // Usually the interceptor opened it already; without the interceptor it opens here. Nest awaits
  // a promise returned for a custom parameter, which covers asynchronous interfaces.
  const context = sessionContextFor(executionContext);
  const session = context.openForHandler();
  return isPromise(session)
    ? session.then((opened) => select(context, opened, param))
    : select(context, session, param);
});

/** The class a parameter is declared as (TypeScript's `emitDecoratorMetadata`), if it is a session class narrower than every session. */
function declaredSessionClass(
  target: object,
  propertyKey: string | symbol,
  index: number,
): Type<AnySession> | undefined {
  const types = Reflect.getMetadata('design:paramtypes', target, propertyKey) as unknown[] | undefined;
  const declared = types?.[index];
  return typeof declared === 'function' && declared.prototype instanceof SecureCookieSession
    ? (declared as Type<AnySession>)
    : undefined;
}

/**
 * The request's session (`@Session() session: SessionMixin`, typed by the app's `SessionData`),
 * or one of its values (`@Session('userId') userId?: number`). Using it marks the session
 * accessed, so the response gets `Vary: Cookie`. A parameter declared as a backend's class
 * (`session: RedisSession`) is checked against the session the configured interface gives: a
 * mismatch fails the request with an error that says so. This is nest-flask-session's
 * `Session`, not `@nestjs/common`'s.
 */
export function Session(key?: string): ParameterDecorator {
  return (target, propertyKey, index) => {
    const param: SessionParam = { key };
    if (key === undefined && propertyKey !== undefined) {
      param.declared = declaredSessionClass(target, propertyKey, index);
      param.where = `${(target as { constructor: { name: string } }).constructor.name}.${String(propertyKey)}()`;
    }
    sessionParam(param)(target, propertyKey, index);
    // Tells the interceptor to open the session before the handler, so the parameter is ready.
    if (propertyKey !== undefined) {
      const handler = (target as Record<string | symbol, unknown>)[propertyKey];
      if (typeof handler === 'function') Reflect.defineMetadata(SESSION_PARAM_METADATA, true, handler);
    }
  };
}
