import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException, InternalServerErrorException, ServiceUnavailableException, type LoggerService } from '@nestjs/common';
import { NodeSessionRequest, NodeSessionResponse } from './http/node-http.adapter.js';
import type { SessionConfig } from './interfaces/session-config.js';
import { SessionStoreUnavailableError } from './interfaces/session-store-unavailable.error.js';
import type { SessionInterface } from './interfaces/session.interface.js';
import type { SecureCookieSession, SessionData } from './sessions/secure-cookie-session.js';

type AnySession = SecureCookieSession<SessionData>;

const CONTEXT = Symbol('nest-flask-session.context');

type WithContext = { [CONTEXT]?: SessionContext };

export function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/** The session state of one request, attached to the raw request by the session middleware. */
export class SessionContext {
  readonly request: NodeSessionRequest;
  readonly response: NodeSessionResponse;
  private session?: AnySession;
  private opening?: Promise<AnySession>;
  private saveResult?: void | Promise<void>;
  private saveStarted = false;

  constructor(
    readonly config: SessionConfig,
    readonly sessionInterface: SessionInterface<AnySession>,
    req: IncomingMessage,
    res: ServerResponse,
    readonly logger: LoggerService,
  ) {
    this.request = new NodeSessionRequest(req);
    this.response = new NodeSessionResponse(res, this.request);
  }

  static of(req: object): SessionContext | undefined {
    return (req as WithContext)[CONTEXT];
  }

  attach(req: object): void {
    (req as WithContext)[CONTEXT] = this;
  }

  get saved(): boolean {
    return this.saveStarted;
  }

  /** Opens the session once (synchronously for cookie sessions); later calls return the same one. */
  open(): AnySession | Promise<AnySession> {
    if (this.session) return this.session;
    if (this.opening) return this.opening;
    const result = this.sessionInterface.openSession(this.config, this.request);
    if (isPromise<AnySession | null>(result)) {
      this.opening = result.then((session) => this.adopt(session));
      return this.opening;
    }
    return this.adopt(result);
  }

  private adopt(session: AnySession | null): AnySession {
    this.session = session ?? this.sessionInterface.makeNullSession(this.config);
    return this.session;
  }

  /**
   * {@link open} for request code, synchronous when the interface is: store outages become 503,
   * other failures 500, both logged.
   */
  openForHandler(): AnySession | Promise<AnySession> {
    let result: AnySession | Promise<AnySession>;
    try {
      result = this.open();
    } catch (error) {
      throw this.toHttpError('opening', error);
    }
    if (!isPromise<AnySession>(result)) return result;
    return result.catch((error: unknown) => {
      throw this.toHttpError('opening', error);
    });
  }

  /**
   * Saves exactly once, opening the session first if nobody did (a permanent session is
   * refreshed even when the handler never touched it, as in Flask). Null sessions are skipped.
   */
  save(): void | Promise<void> {
    if (this.saveStarted) return this.saveResult;
    this.saveStarted = true;
    const opened = this.open();
    const run = (session: AnySession): void | Promise<void> =>
      this.sessionInterface.isNullSession(session) ? undefined : this.sessionInterface.saveSession(this.config, session, this.response);
    this.saveResult = isPromise<AnySession>(opened) ? opened.then(run) : run(opened);
    return this.saveResult;
  }

  /** Maps a failure of the session layer to the HTTP error the client gets, and logs the cause. */
  toHttpError(action: 'opening' | 'saving', error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (error instanceof SessionStoreUnavailableError) {
      this.logger.error(`The session store is unavailable while ${action} the session: ${cause}`);
      return new ServiceUnavailableException('The session store is unavailable. Please try again shortly.', { cause: error });
    }
    this.logger.error(`${action === 'opening' ? 'Opening' : 'Saving'} the session failed: ${cause}`);
    return new InternalServerErrorException(undefined, { cause: error });
  }

  /**
   * Makes sure the session is saved before the headers go out, whichever way the response
   * leaves: the first `write`/`end` saves (and waits for an asynchronous interface), and an
   * explicit `writeHead` saves synchronously.
   */
  hookResponse(res: ServerResponse): void {
    const hooked = res as HookedResponse;
    hooked[RESPONSE_HOOK] = new ResponseHook(this, res);
    hooked.write = hookedWrite as ServerResponse['write'];
    hooked.end = hookedEnd as ServerResponse['end'];
    hooked.writeHead = hookedWriteHead as ServerResponse['writeHead'];
  }
}

type Method = (...args: unknown[]) => unknown;

const RESPONSE_HOOK = Symbol('nest-flask-session.responseHook');

type HookedResponse = ServerResponse & { [RESPONSE_HOOK]?: ResponseHook };

/**
 * The per-response state of the save-before-headers hook. The hooked methods themselves are
 * shared functions (below) that find this state on the response: no closures per request.
 */
class ResponseHook {
  readonly write: Method;
  readonly end: Method;
  readonly writeHead: Method;
  /** Calls waiting for an asynchronous save, or null when none is pending. */
  queue: Array<() => void> | null = null;
  failed = false;

  constructor(
    readonly context: SessionContext,
    readonly res: ServerResponse,
  ) {
    this.write = res.write as Method;
    this.end = res.end as Method;
    this.writeHead = res.writeHead as Method;
  }

  /** Runs `original(...args)` after the save, or right away when it is already done. */
  afterSave(original: Method, args: unknown[]): void {
    if (this.failed) return;
    if (this.queue) {
      this.queue.push(() => original.apply(this.res, args));
      return;
    }
    if (this.context.saved) {
      original.apply(this.res, args);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = this.context.save();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!isPromise(result)) {
      original.apply(this.res, args);
      return;
    }
    this.queue = [() => original.apply(this.res, args)];
    result.then(
      () => {
        const calls = this.queue ?? [];
        this.queue = null;
        for (const call of calls) call();
      },
      (error: unknown) => {
        this.queue = null;
        this.fail(error);
      },
    );
  }

  /** Replaces the response with the error's, or drops the connection if headers already went. */
  fail(error: unknown): void {
    const res = this.res;
    this.failed = true;
    const httpError = this.context.toHttpError('saving', error);
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const body = JSON.stringify(httpError.getResponse());
    res.statusCode = httpError.getStatus();
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    this.end.call(res, body);
  }

  /** An explicit `writeHead` cannot wait: save synchronously, or log why it could not. */
  saveNow(): void {
    if (this.context.saved || this.failed) return;
    try {
      const result = this.context.save();
      if (isPromise(result)) {
        result.catch((error: unknown) => this.context.toHttpError('saving', error));
        this.context.logger.error(
          'The session could not be saved before an explicit writeHead(): the session interface saves asynchronously. Use res.end()/res.send() instead.',
        );
      }
    } catch (error) {
      this.context.toHttpError('saving', error);
    }
  }
}

function hookedWrite(this: HookedResponse, ...args: unknown[]): boolean {
  const hook = this[RESPONSE_HOOK]!;
  if (!hook.context.saved || hook.queue) {
    hook.afterSave(hook.write, args);
    return true;
  }
  return hook.write.apply(this, args) as boolean;
}

function hookedEnd(this: HookedResponse, ...args: unknown[]): ServerResponse {
  this[RESPONSE_HOOK]!.afterSave(this[RESPONSE_HOOK]!.end, args);
  return this;
}

function hookedWriteHead(this: HookedResponse, ...args: unknown[]): ServerResponse {
  const hook = this[RESPONSE_HOOK]!;
  hook.saveNow();
  return hook.writeHead.apply(this, args) as ServerResponse;
}
