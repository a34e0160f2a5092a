import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeSessionRequest, NodeSessionResponse } from '../../http/node-http.adapter.js';
import {
  CONTEXT_FACTORY,
  isPromise,
  SessionContext,
  type ContextFactory,
  type SessionRuntime,
} from '../../http/session-context.js';
import { answerSaveFailure } from '../../http/save-failure-response.js';
import { keepSessionHeaders, type WrittenSessionHeaders } from '../../http/write-head-headers.js';

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** Set on an Express app's `response` prototype: the runtime of the SessionModule bound to it. */
const RUNTIME = Symbol('nest-flask-session.expressRuntime');
/** Set on a response whose write waits for an asynchronous save. */
const PENDING = Symbol('nest-flask-session.pendingWrites');

/** Node's `write`, `end` and `writeHead`, as the app's response prototype had them before binding. */
interface OriginalMethods {
  write: Method;
  end: Method;
  writeHead: Method;
}

type BoundResponse = ServerResponse & { req: IncomingMessage; [RUNTIME]?: SessionRuntime; [PENDING]?: PendingWrites };
type ExpressRequest = IncomingMessage & { res?: ServerResponse };

/** The part of an Express application the binding uses: the prototype of its responses. */
export interface ExpressAppLike {
  request: object;
  response: object;
}

/** A new context for `res`'s request, attached to it. */
function attachContext(res: BoundResponse, runtime: SessionRuntime, request: NodeSessionRequest): SessionContext {
  const context = new SessionContext(runtime, request, new NodeSessionResponse(res, request));
  context.attach(res.req);
  return context;
}

/** The request's session context, created on first use: by `@Session()`, the interceptor or `getSession()`. */
function contextOf(req: ExpressRequest): SessionContext | undefined {
  const existing = SessionContext.of(req);
  if (existing) return existing;
  const res = req.res as BoundResponse | undefined;
  const runtime = res?.[RUNTIME];
  if (!res || !runtime) return undefined;
  return attachContext(res, runtime, new NodeSessionRequest(req));
}

/**
 * The context to save before `res`'s headers go out: the request's own, or, for a request whose
 * code never touched the session, a new one only when the interface says saving it could write
 * something (a permanent session to refresh). Most such requests (no cookie, or a cookie that
 * cannot be permanent) get none, so a route that never uses the session costs no allocation.
 */
function contextToSave(res: BoundResponse): SessionContext | undefined {
  const existing = SessionContext.of(res.req);
  if (existing) return existing;
  const runtime = res[RUNTIME];
  if (!runtime || res.headersSent) return undefined;
  const request = new NodeSessionRequest(res.req);
  return runtime.sessionInterface.mustOpenToSave(runtime.config, request)
    ? attachContext(res, runtime, request)
    : undefined;
}

function lazyContext(request: object): SessionContext | undefined {
  return (request as ExpressRequest).res ? contextOf(request as ExpressRequest) : undefined;
}

/**
 * Binds sessions to an Express application, once: `write`, `end` and `writeHead` are overridden
 * on the app's own response prototype (`app.response`, which Express gives every response of
 * that app), so the session is saved before the headers go out, whichever way the response
 * leaves, with no per-request middleware and no per-response patching. While an asynchronous
 * save (Redis) runs, all three are queued in order, explicit `writeHead()` and middleware that
 * calls `_implicitHeader()` (compression) included. Responses of other apps are untouched.
 */
export function bindExpress(app: ExpressAppLike, runtime: SessionRuntime): void {
  (app.request as { [CONTEXT_FACTORY]?: ContextFactory })[CONTEXT_FACTORY] = lazyContext;
  const prototype = app.response as BoundResponse;
  const alreadyBound = Object.prototype.hasOwnProperty.call(prototype, RUNTIME);
  prototype[RUNTIME] = runtime;
  if (alreadyBound) return;
  const original: OriginalMethods = {
    write: prototype.write as Method,
    end: prototype.end as Method,
    writeHead: prototype.writeHead as Method,
  };

  prototype.write = function write(this: BoundResponse, ...args: unknown[]): boolean {
    if (this[PENDING] || !SessionContext.of(this.req)?.settled)
      return afterSave(this, original, original.write, args) as boolean;
    return original.write.apply(this, args) as boolean;
  } as ServerResponse['write'];

  prototype.end = function end(this: BoundResponse, ...args: unknown[]): ServerResponse {
    afterSave(this, original, original.end, args);
    return this;
  } as ServerResponse['end'];

  // Headers given to writeHead() replace those set before: the session's are merged back in
  // when the call runs (after the save, which may have been queued).
  const writeHeadKeepingSession: Method = function (this: ServerResponse, ...args: unknown[]): unknown {
    return original.writeHead.apply(this, keepSessionHeaders(args, writtenBySession(this as BoundResponse)));
  };

  // Replayed after an asynchronous save: a writeHead() queued behind another one comes from
  // flushHeaders() or _implicitHeader() (Nest's @Sse() calls writeHead() then flushHeaders()),
  // and the headers already went out with the first.
  const queuedWriteHead: Method = function (this: ServerResponse, ...args: unknown[]): unknown {
    return this.headersSent ? this : writeHeadKeepingSession.apply(this, args);
  };

  prototype.writeHead = function writeHead(this: BoundResponse, ...args: unknown[]): ServerResponse {
    // Headers wait for an asynchronous save like the body does: `write`/`end` after this are queued too.
    if (this[PENDING] || !SessionContext.of(this.req)?.settled) afterSave(this, original, queuedWriteHead, args);
    else writeHeadKeepingSession.apply(this, args);
    return this;
  } as ServerResponse['writeHead'];
}

const NOTHING_WRITTEN: WrittenSessionHeaders = { setCookies: [], varyFields: [] };

/** The `Set-Cookie` lines and `Vary` fields the request's session wrote to `res`. */
function writtenBySession(res: BoundResponse): WrittenSessionHeaders {
  const seam = SessionContext.of(res.req)?.response;
  return seam instanceof NodeSessionResponse ? seam.written : NOTHING_WRITTEN;
}

/** Runs `method` once the session is saved: right away for a synchronous interface. */
function afterSave(res: BoundResponse, original: OriginalMethods, method: Method, args: unknown[]): unknown {
  const pending = res[PENDING];
  if (pending) return pending.add(method, args);
  const context = contextToSave(res);
  if (!context || context.settled) return method.apply(res, args);
  if (res.headersSent) {
    // Too late for Set-Cookie (headers were flushed some other way, e.g. flushHeaders()): answer, and say so.
    saveTooLate(context);
    return method.apply(res, args);
  }
  let result: void | Promise<void>;
  try {
    result = context.save();
  } catch (error) {
    new PendingWrites(res).fail();
    answerSaveFailure(context, res, original, error);
    return true;
  }
  if (!isPromise(result)) return method.apply(res, args);
  const writes = new PendingWrites(res);
  writes.add(method, args);
  result.then(
    () => writes.flush(),
    (error: unknown) => {
      writes.fail();
      answerSaveFailure(context, res, original, error);
    },
  );
  return true;
}

/** The headers went out before the session could be saved: log it, never break the response. */
function saveTooLate(context: SessionContext): void {
  if (context.saved) return;
  context.logger.error(
    'The session could not be saved: the response headers were sent before it (flushHeaders(), or a write that bypassed Express). ' +
      'Send the response with res.send()/res.end() after changing the session.',
  );
  try {
    const result = context.save();
    if (isPromise(result)) result.catch((error: unknown) => context.toHttpError('saving', error));
  } catch (error) {
    context.toHttpError('saving', error);
  }
}

/**
 * `write`/`end` calls that arrived while an asynchronous save was running, replayed in order;
 * after a failed save, the app's later writes are dropped (the error response replaced them).
 */
class PendingWrites {
  private calls: Array<[Method, unknown[]]> | null = [];

  constructor(private readonly res: BoundResponse) {
    res[PENDING] = this;
  }

  add(method: Method, args: unknown[]): boolean {
    this.calls?.push([method, args]);
    return true;
  }

  flush(): void {
    const calls = this.calls ?? [];
    this.calls = null;
    this.res[PENDING] = undefined;
    for (const [method, args] of calls) method.apply(this.res, args);
  }

  fail(): void {
    this.calls = null;
  }
}
