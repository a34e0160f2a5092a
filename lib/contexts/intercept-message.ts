import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { catchError, concatMap, defer, from, mergeMap, throwError, type Observable } from 'rxjs';
import { isPromise } from '../http/session-context.js';
import { SessionStoreUnavailableError } from '../sessions/session-store-unavailable.error.js';
import { enterMessage } from './message-scope.js';
import { ReadOnlySessionError } from './read-only-session.error.js';
import { HandshakeNotFoundError } from './websocket-handshake.js';

/**
 * The errors a gateway's client is told about: as a `WsException` (which Nest's WebSocket
 * exception filter sends to the client, where any other error becomes "Internal server error").
 * `@nestjs/websockets` is loaded only here, where a gateway runs, so it stays an optional peer.
 */
async function forClient(error: unknown): Promise<unknown> {
  const told =
    error instanceof ReadOnlySessionError ||
    error instanceof HandshakeNotFoundError ||
    error instanceof SessionStoreUnavailableError;
  if (!told) return error;
  try {
    const { WsException } = await import('@nestjs/websockets');
    return new WsException(error.message);
  } catch {
    return error;
  }
}

/**
 * Runs one gateway message: opens its session first when the handler takes `@Session()` (an
 * asynchronous interface cannot open inside the parameter), runs the handler where
 * `@Session()` and `getSession()` find the message, and saves a changed store session before
 * the handler's reply goes out.
 */
export function interceptMessage(context: ExecutionContext, next: CallHandler, open: boolean): Observable<unknown> {
  const message = enterMessage(context);
  if (!message) return next.handle();
  const handle = (): Observable<unknown> =>
    message
      .run(() => next.handle())
      .pipe(
        concatMap((value) => {
          const saved = message.used?.save();
          return isPromise(saved) ? saved.then(() => value) : [value];
        }),
      );
  return defer(() => {
    if (!open) return handle();
    const opened = message.session().openForHandler();
    return isPromise(opened) ? from(opened).pipe(mergeMap(handle)) : handle();
  }).pipe(catchError((error: unknown) => from(forClient(error)).pipe(mergeMap((told) => throwError(() => told)))));
}
