import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException, InternalServerErrorException, ServiceUnavailableException, type LoggerService } from '@nestjs/common';
import { NodeSessionRequest, NodeSessionResponse } from './http/node-http.adapter.js';
import type { SessionConfig } from './interfaces/session-config.js';
import { SessionStoreUnavailableError } from './interfaces/session-store-unavailable.error.js';
import type { SessionInterface } from './interfaces/session.interface.js';
import type { SecureCookieSession, SessionData } from './sessions/secure-cookie-session.js';

type AnySession = SecureCookieSession<SessionData>;

const contexts = new WeakMap<object, SessionContext>();

function isPromise<T>(value: unknown): value is Promise<T> {
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
    private readonly logger: LoggerService,
  ) {
    this.request = new NodeSessionRequest(req);
    this.response = new NodeSessionResponse(res, this.request);
  }

  static of(req: object): SessionContext | undefined {
    return contexts.get(req);
  }

  attach(req: object): void {
    contexts.set(req, this);
  }

  /** The session if it was opened already. */
  get current(): AnySession | undefined {
    return this.session;
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

  /** {@link open} for request code: store outages become 503, other failures 500, both logged. */
  async openForRequest(): Promise<AnySession> {
    try {
      return await this.open();
    } catch (error) {
      throw this.toHttpError('opening', error);
    }
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
    const originalWrite = res.write;
    const originalEnd = res.end;
    const originalWriteHead = res.writeHead;
    let queue: Array<() => void> | null = null;
    let failed = false;
    const context = this;

    const fail = (error: unknown): void => {
      failed = true;
      const httpError = context.toHttpError('saving', error);
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      const status = httpError.getStatus();
      const body = JSON.stringify(httpError.getResponse());
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      (originalEnd as (chunk: string) => ServerResponse).call(res, body);
    };

    /** Runs `call` after the save, or right away when it is already done. */
    const afterSave = (call: () => void): void => {
      if (failed) return;
      if (queue) {
        queue.push(call);
        return;
      }
      if (context.saveStarted) {
        call();
        return;
      }
      let result: void | Promise<void>;
      try {
        result = context.save();
      } catch (error) {
        fail(error);
        return;
      }
      if (!isPromise(result)) {
        call();
        return;
      }
      queue = [call];
      result.then(
        () => {
          const calls = queue ?? [];
          queue = null;
          for (const queued of calls) queued();
        },
        (error: unknown) => {
          queue = null;
          fail(error);
        },
      );
      return;
    };

    res.write = function write(this: ServerResponse, ...args: unknown[]): boolean {
      if (!context.saveStarted || queue) {
        afterSave(() => (originalWrite as (...a: unknown[]) => boolean).apply(res, args));
        return true;
      }
      return (originalWrite as (...a: unknown[]) => boolean).apply(this, args);
    } as ServerResponse['write'];

    res.end = function end(this: ServerResponse, ...args: unknown[]): ServerResponse {
      afterSave(() => (originalEnd as (...a: unknown[]) => ServerResponse).apply(res, args));
      return this;
    } as ServerResponse['end'];

    res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
      if (!context.saveStarted && !failed) {
        try {
          const result = context.save();
          if (isPromise(result)) {
            result.catch((error: unknown) => context.toHttpError('saving', error));
            context.logger.error(
              'The session could not be saved before an explicit writeHead(): the session interface saves asynchronously. Use res.end()/res.send() instead.',
            );
          }
        } catch (error) {
          context.toHttpError('saving', error);
        }
      }
      return (originalWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
  }
}
