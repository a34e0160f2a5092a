import type { IncomingMessage } from 'node:http';
import {
  FastifySessionRequest,
  FastifySessionResponse,
  type FastifyReplyLike,
  type FastifyRequestLike,
} from './fastify-http.adapter.js';
import { NodeSessionRequest } from '../../http/node-http.adapter.js';
import type { SessionResponse } from '../../sessions/session-http.js';
import {
  CONTEXT_FACTORY,
  isPromise,
  SessionContext,
  type ContextFactory,
  type SessionRuntime,
} from '../../http/session-context.js';

type Done = (error?: Error | null) => void;
type SendDone = (error: Error | null, payload?: unknown) => void;

/** The part of a Fastify instance the binding uses: its hooks (Fastify itself is not imported). */
export interface FastifyInstanceLike {
  /** The Node server Fastify created; raw requests are traced back to their runtime through it. */
  readonly server?: object;
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(
    name: 'onSend',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown, done: SendDone) => void,
  ): unknown;
}

/**
 * Binds sessions to a Fastify instance with its own request lifecycle:
 * - `onRequest` attaches the request's context (to the Fastify request and to `request.raw`, so
 *   guards, interceptors, filters and middleware all find it); the session opens on first use;
 * - `onSend`, which every `reply.send()` passes through (returned values, redirects, streams,
 *   exception filters, the 404 handler), saves it unless the interceptor already did, through
 *   `reply.header()` so `@fastify/cookie` and other plugins' headers are kept;
 * - a handler that writes the response itself (`@Res()` without passthrough) gets its reply
 *   watched: if it changed the session and wrote to `reply.raw` directly, which Fastify's hooks
 *   never see, a clear error is logged. (An `onResponse` hook would do the same for every
 *   request, at the price of response listeners Fastify then adds to every request.)
 */
export function bindFastify(instance: FastifyInstanceLike, sharedRuntime: SessionRuntime): void {
  const runtime: SessionRuntime = { ...sharedRuntime, watchOwnResponse };
  if (instance.server) {
    const factory: ContextFactory = (request) => rawRequestContext(request, runtime);
    (instance.server as { [CONTEXT_FACTORY]?: ContextFactory })[CONTEXT_FACTORY] = factory;
  }
  instance.addHook('onRequest', (request, reply, done) => {
    const sessionRequest = new FastifySessionRequest(request);
    const sessionResponse = new FastifySessionResponse(reply, sessionRequest);
    // Nest middleware (middie) runs in an onRequest hook added before ours and may have opened it already.
    const early = SessionContext.of(request.raw);
    const context = early ?? new SessionContext(runtime, sessionRequest, sessionResponse);
    if (early) early.rebind(sessionRequest, sessionResponse);
    else context.attach(request.raw as IncomingMessage);
    context.attach(request);
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
}

/** Logs, once the response is finished, a session change that no hook could save. */
function watchOwnResponse(context: SessionContext): boolean {
  const reply = context.response.raw as FastifyReplyLike | undefined;
  const request = context.request.raw as FastifyRequestLike | undefined;
  if (!reply) return false;
  reply.raw.once('finish', () => {
    if (!context.hasUnsavedChanges) return;
    context.logger.error(
      `The session changed during ${request?.url ?? 'a request'} but was not saved: the response was written to reply.raw directly, ` +
        'which bypasses Fastify hooks. Send it with reply.send() (or return it from the handler) to save the session.',
    );
  });
  return true;
}

/**
 * A context for a raw request that Nest middleware hands to `getSession()` before the
 * `onRequest` hook above ran (Nest registers middie, and its hook, first). It can open the
 * session; the hook then moves it onto the Fastify request and reply, before anything is saved.
 */
function rawRequestContext(request: object, runtime: SessionRuntime): SessionContext | undefined {
  const raw = request as IncomingMessage;
  if (typeof raw.headers !== 'object') return undefined;
  const sessionRequest = new NodeSessionRequest(raw);
  const context = new SessionContext(runtime, sessionRequest, new UnboundResponse(sessionRequest));
  context.attach(raw);
  return context;
}

/** Stands in for the reply until Fastify's `onRequest` hook binds the context to it. */
class UnboundResponse implements SessionResponse {
  readonly raw = undefined;
  readonly headersSent = false;

  constructor(readonly request: NodeSessionRequest) {}

  private fail(): never {
    throw new Error(
      'The session cannot be written before Fastify has created the reply (in an onRequest hook that runs before the session hook).',
    );
  }

  setCookie(): void {
    this.fail();
  }

  appendSetCookie(): void {
    this.fail();
  }

  deleteCookie(): void {
    this.fail();
  }

  addVary(): void {
    this.fail();
  }
}
