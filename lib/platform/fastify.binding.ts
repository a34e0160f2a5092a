import type { IncomingMessage } from 'node:http';
import {
  FastifySessionRequest,
  FastifySessionResponse,
  type FastifyReplyLike,
  type FastifyRequestLike,
} from '../http/fastify-http.adapter.js';
import { isPromise, SessionContext, type SessionRuntime } from '../session-context.js';

type Done = (error?: Error | null) => void;
type SendDone = (error: Error | null, payload?: unknown) => void;

/** The part of a Fastify instance the binding uses: its hooks (Fastify itself is not imported). */
export interface FastifyInstanceLike {
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(name: 'onSend', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown, done: SendDone) => void): unknown;
  addHook(name: 'onResponse', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
}

/**
 * Binds sessions to a Fastify instance with its own request lifecycle:
 * - `onRequest` attaches the request's context (to the Fastify request and to `request.raw`, so
 *   guards, interceptors, filters and middleware all find it); the session opens on first use;
 * - `onSend`, which every `reply.send()` passes through (returned values, redirects, streams,
 *   exception filters, the 404 handler), saves it unless the interceptor already did, through
 *   `reply.header()` so `@fastify/cookie` and other plugins' headers are kept;
 * - `onResponse` logs a clear error if a handler changed the session and then wrote to
 *   `reply.raw` directly, which Fastify's hooks never see.
 */
export function bindFastify(instance: FastifyInstanceLike, runtime: SessionRuntime): void {
  instance.addHook('onRequest', (request, reply, done) => {
    const sessionRequest = new FastifySessionRequest(request);
    const context = new SessionContext(runtime, sessionRequest, new FastifySessionResponse(reply, sessionRequest));
    context.attach(request);
    context.attach(request.raw as IncomingMessage);
    done();
  });

  instance.addHook('onSend', (request, _reply, payload, done) => {
    const context = SessionContext.of(request);
    if (!context || context.settled) {
      done(null, payload);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = context.save();
    } catch (error) {
      done(context.toHttpError('saving', error));
      return;
    }
    if (!isPromise(result)) {
      done(null, payload);
      return;
    }
    result.then(
      () => done(null, payload),
      (error: unknown) => done(context.toHttpError('saving', error)),
    );
  });

  instance.addHook('onResponse', (request, _reply, done) => {
    const context = SessionContext.of(request);
    if (context?.hasUnsavedChanges) {
      context.logger.error(
        `The session changed during ${request.url} but was not saved: the response was written to reply.raw directly, ` +
          'which bypasses Fastify hooks. Send it with reply.send() (or return it from the handler) to save the session.',
      );
    }
    done();
  });
}
