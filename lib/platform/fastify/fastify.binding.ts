import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FastifySessionRequest,
  FastifySessionResponse,
  type FastifyReplyLike,
  type FastifyRequestLike,
} from './fastify-http.adapter.js';
import { NodeSessionRequest, NodeSessionResponse } from '../../http/node-http.adapter.js';
import { answerSaveFailure } from '../../http/save-failure-response.js';
import { keepSessionHeaders } from '../../http/write-head-headers.js';
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
  /** Declares a property every request is created with (Fastify keeps request objects one shape that way). */
  decorateRequest?(name: symbol, value: null): unknown;
  hasRequestDecorator?(name: symbol): boolean;
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
 * - a handler that writes the response itself (`@Res()` without passthrough, `@Sse()`) gets its
 *   reply watched: if it writes `reply.raw` directly, which Fastify's hooks never see, the session
 *   is saved into `reply.raw` before the headers go out; a change that still could not be saved
 *   is logged. (Watching every request would cost response listeners on every request.)
 */
export function bindFastify(instance: FastifyInstanceLike, sharedRuntime: SessionRuntime): void {
  const runtime: SessionRuntime = { ...sharedRuntime, watchOwnResponse };
  if (instance.server) {
    const factory: ContextFactory = (request) => rawRequestContext(request, runtime);
    (instance.server as { [CONTEXT_FACTORY]?: ContextFactory })[CONTEXT_FACTORY] = factory;
  }
  declareContextProperty(instance);
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

/**
 * Declares the context's property on Fastify's requests, so the `onRequest` hook's attach fills
 * a slot every request already has instead of giving each one a new shape. Fastify refuses a
 * declaration once the instance has started; the binding works without it, only less evenly.
 */
function declareContextProperty(instance: FastifyInstanceLike): void {
  const key = SessionContext.propertyKey;
  if (!instance.decorateRequest || instance.hasRequestDecorator?.(key)) return;
  try {
    instance.decorateRequest(key, null);
  } catch {
    // Already started (FST_ERR_DEC_AFTER_START): attach as a plain property.
  }
}

/**
 * Watches a reply whose handler writes the response itself: if the handler writes `reply.raw`
 * directly, which Fastify's hooks never see, the session is saved into `reply.raw` before its
 * headers go out (the writes wait for an asynchronous save), and headers the handler passes to
 * `reply.raw.writeHead()` keep the session's. A change still unsaved when the response finishes
 * (headers flushed before anything was written) is logged.
 */
function watchOwnResponse(context: SessionContext): boolean {
  const reply = context.response.raw as FastifyReplyLike | undefined;
  const request = context.request.raw as FastifyRequestLike | undefined;
  if (!reply) return false;
  saveBeforeRawWrites(context, reply);
  reply.raw.once('finish', () => {
    if (!context.hasUnsavedChanges) return;
    context.logger.error(
      `The session changed during ${request?.url ?? 'a request'} but was not saved: the response was written to reply.raw directly, ` +
        'which bypasses Fastify hooks. Send it with reply.send() (or return it from the handler) to save the session.',
    );
  });
  return true;
}

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/**
 * Overrides `writeHead`, `write` and `end` on this one `reply.raw`: the first of them that runs
 * before the session was saved (so not through `reply.send()`, whose hook saves first) saves it
 * through a seam over `reply.raw`, and the calls wait for an asynchronous save, in order.
 */
function saveBeforeRawWrites(context: SessionContext, reply: FastifyReplyLike): void {
  const raw = reply.raw;
  const original = { writeHead: raw.writeHead as Method, write: raw.write as Method, end: raw.end as Method };
  let queued: Array<[Method, unknown[]]> | null = null;
  let seam: NodeSessionResponse | undefined;

  const writeHead: Method = function (this: ServerResponse, ...args: unknown[]): unknown {
    // Once the handler's own headers went out after the save, a later writeHead() has nothing to
    // add: one queued behind another (flushHeaders() after writeHead(), as Nest's @Sse() does), or
    // Fastify's own, when a reply.send() raced an asynchronous save.
    if (seam && this.headersSent) return this;
    return original.writeHead.apply(this, seam ? keepSessionHeaders(args, seam.written) : args);
  };

  const run = (method: Method, args: unknown[]): unknown => {
    if (queued) {
      queued.push([method, args]);
      return method === original.write ? true : raw;
    }
    if (context.saved || raw.headersSent) return method.apply(raw, args);
    seam = new NodeSessionResponse(raw, context.request);
    context.rebind(context.request, seam);
    let result: void | Promise<void>;
    try {
      result = context.save();
    } catch (error) {
      answerSaveFailure(context, raw, original, error);
      return method === original.write ? false : raw;
    }
    if (!isPromise(result)) return method.apply(raw, args);
    const calls: Array<[Method, unknown[]]> = [[method, args]];
    queued = calls;
    result.then(
      () => {
        queued = null;
        for (const [call, callArgs] of calls) call.apply(raw, callArgs);
      },
      (error: unknown) => {
        queued = null;
        answerSaveFailure(context, raw, original, error);
      },
    );
    return method === original.write ? true : raw;
  };

  raw.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    return run(writeHead, args);
  } as ServerResponse['writeHead'];
  raw.write = function (this: ServerResponse, ...args: unknown[]) {
    return run(original.write, args);
  } as ServerResponse['write'];
  raw.end = function (this: ServerResponse, ...args: unknown[]) {
    return run(original.end, args);
  } as ServerResponse['end'];
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
