import { AsyncLocalStorage } from 'node:async_hooks';
import type { ArgumentsHost } from '@nestjs/common';
import { handshakeRequestOf, handshakeRuntimeOf } from './websocket-handshake.js';
import { MessageSession } from './message-session.js';

/** One gateway message: its client and, once something asked for it, its session. */
interface MessageScope {
  readonly client: object;
  /** True once the SessionInterceptor runs the message: it saves what the handler changed. */
  savable: boolean;
  /** True once a SessionInterceptor entered the message (a second one, bound on the gateway too, stands aside). */
  entered: boolean;
  session?: MessageSession;
}

/**
 * Guards and interceptors of one message share its arguments array; the handler's parameters
 * get a copy of it, so they find the message through the interceptor's async context instead.
 */
const scopesByArgs = new WeakMap<object, MessageScope>();
const currentScope = new AsyncLocalStorage<MessageScope>();

function scopeOf(host: ArgumentsHost): MessageScope {
  const client = host.switchToWs().getClient<object>();
  const current = currentScope.getStore();
  if (current?.client === client) return current;
  const args = host.getArgs();
  let scope = scopesByArgs.get(args);
  if (!scope) {
    scope = { client, savable: false, entered: false };
    scopesByArgs.set(args, scope);
  }
  return scope;
}

/** A session for a connection's handshake request, read now. */
export function handshakeSession(client: object): MessageSession {
  const request = handshakeRequestOf(client);
  const runtime = handshakeRuntimeOf(request);
  if (!runtime)
    throw new Error(
      'No session for this WebSocket connection: import SessionModule.forRoot() in your application module.',
    );
  return new MessageSession(runtime, request);
}

function sessionOfScope(scope: MessageScope): MessageSession {
  if (!scope.session) {
    scope.session = handshakeSession(scope.client);
    scope.session.savable = scope.savable;
  }
  return scope.session;
}

/** The session of the gateway message an execution context handles. */
export function messageSessionFor(host: ArgumentsHost): MessageSession {
  return sessionOfScope(scopeOf(host));
}

/**
 * The session of a client's current message when called inside its handler (`getSession(client)`),
 * else a fresh read of its handshake's session, which nothing saves.
 */
export function messageSessionOfClient(client: object): MessageSession {
  const current = currentScope.getStore();
  return current?.client === client ? sessionOfScope(current) : handshakeSession(client);
}

/** Runs a message's handler in its scope, which the interceptor saves from then on. */
export interface MessageRun {
  /** The message's session, created on first use. */
  session(): MessageSession;
  /** The session if anything used it. */
  readonly used: MessageSession | undefined;
  run<T>(fn: () => T): T;
}

/** The message, entered; undefined when another SessionInterceptor entered it already. */
export function enterMessage(host: ArgumentsHost): MessageRun | undefined {
  const scope = scopeOf(host);
  if (scope.entered) return undefined;
  scope.entered = true;
  scope.savable = true;
  if (scope.session) scope.session.savable = true;
  return {
    session: () => sessionOfScope(scope),
    get used() {
      return scope.session;
    },
    run: (fn) => currentScope.run(scope, fn),
  };
}
