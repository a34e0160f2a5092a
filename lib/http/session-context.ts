import {
  HttpException,
  InternalServerErrorException,
  ServiceUnavailableException,
  type LoggerService,
} from '@nestjs/common';
import type { SessionRequest, SessionResponse } from '../sessions/session-http.js';
import type { SessionConfig } from '../config/session-config.js';
import {
  SessionStoreUnavailableError,
  STORE_FAILURE_HANDLER,
  type StoreFailureHandler,
} from '../sessions/session-store-unavailable.error.js';
import type { SessionInterface } from '../sessions/session.interface.js';
import { guardBracketAccess, type SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';
import { storeOutageLogFor } from './store-outage-log.js';

type AnySession = SecureCookieSession<SessionData>;

const CONTEXT = Symbol('nest-flask-session.context');

type WithContext = { [CONTEXT]?: SessionContext | null };

/** Creates a request's context on first use, for a platform that does not attach one up front. */
export type ContextFactory = (request: object) => SessionContext | undefined;

/**
 * Where a platform binding leaves its {@link ContextFactory}: on an object every request of that
 * app reaches (Express: the app's request prototype; Fastify: its HTTP server, via the socket).
 * Kept per app, never in a process-wide list, so two apps in one process stay apart.
 */
export const CONTEXT_FACTORY = Symbol('nest-flask-session.contextFactory');

type WithFactory = { [CONTEXT_FACTORY]?: ContextFactory };
type RawRequestLike = WithFactory & { socket?: { server?: WithFactory } | null };

/** The request's context: the one attached to it, or one its app's platform binding creates now. */
export function findSessionContext(request: object): SessionContext | undefined {
  const context = SessionContext.of(request);
  if (context) return context;
  const raw = request as RawRequestLike;
  const factory = raw[CONTEXT_FACTORY] ?? raw.socket?.server?.[CONTEXT_FACTORY];
  return factory?.(request);
}

export function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/** What a platform binding shares with every context it creates. */
export interface SessionRuntime {
  readonly config: SessionConfig;
  readonly sessionInterface: SessionInterface<AnySession>;
  readonly logger: LoggerService;
  /**
   * Called once for a request whose code writes the response itself (`@Res()`), where the
   * platform cannot see the headers go out (Fastify's `reply.raw`): it watches that response.
   * Returns false when it cannot watch yet (no reply bound to the context).
   */
  watchOwnResponse?(context: SessionContext): boolean;
}

/**
 * The session state of one request: opened lazily, saved once. A platform binding
 * (`platform/express.binding.ts`, `platform/fastify.binding.ts`) creates it, attaches it to the
 * request, and makes sure it is saved before the response's headers go out.
 */
export class SessionContext {
  private session?: AnySession;
  private opening?: Promise<AnySession>;
  private saveResult?: void | Promise<void>;
  private saveStarted = false;
  private saveSettled = false;
  private watched = false;
  private outageReported = false;
  /** Created on the first hook: most requests have none. */
  private saveHooks?: Array<(session: AnySession) => void>;

  constructor(
    readonly runtime: SessionRuntime,
    private requestSeam: SessionRequest,
    private responseSeam: SessionResponse,
  ) {}

  get request(): SessionRequest {
    return this.requestSeam;
  }

  get response(): SessionResponse {
    return this.responseSeam;
  }

  /**
   * Moves a context created early (from a raw request, before the platform's own objects
   * existed) onto the platform's seam. Only before saving: the session itself is kept.
   */
  rebind(request: SessionRequest, response: SessionResponse): void {
    if (this.saveStarted) throw new Error('A session context cannot be rebound once saving started.');
    this.requestSeam = request;
    this.responseSeam = response;
  }

  /**
   * The property a request's context is kept in: a platform may declare it on its request objects
   * up front (Fastify's `decorateRequest`), so attaching a context never changes their shape.
   */
  static readonly propertyKey: symbol = CONTEXT;

  static of(req: object): SessionContext | undefined {
    return (req as WithContext)[CONTEXT] ?? undefined;
  }

  attach(req: object): void {
    (req as WithContext)[CONTEXT] = this;
  }

  get config(): SessionConfig {
    return this.runtime.config;
  }

  get sessionInterface(): SessionInterface<AnySession> {
    return this.runtime.sessionInterface;
  }

  get logger(): LoggerService {
    return this.runtime.logger;
  }

  /** True once saving started (it may still be running for an asynchronous interface). */
  get saved(): boolean {
    return this.saveStarted;
  }

  /** True once saving finished, successfully or not. */
  get settled(): boolean {
    return this.saveSettled;
  }

  /**
   * Says the request's code writes the response itself (`@Res()`, or a raw request handed to
   * `getSession()`), so the platform binding watches it once if it has to.
   */
  expectOwnResponse(): void {
    if (this.watched) return;
    this.watched = this.runtime.watchOwnResponse?.(this) ?? true;
  }

  /** True when the request opened a session that a save would write (modified, or to refresh). */
  get hasUnsavedChanges(): boolean {
    const session = this.session;
    if (!session || this.saveStarted || this.sessionInterface.isNullSession(session)) return false;
    return session.modified;
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

  /** Keeps the request's session; request code gets it with bracket access guarded. */
  private adopt(session: AnySession | null): AnySession {
    this.session = session ?? this.sessionInterface.makeNullSession(this.config);
    // A session that acts on its store right away (regenerate(), destroy()) fails with our 503.
    if (STORE_FAILURE_HANDLER in this.session) {
      const handler: StoreFailureHandler = (error, action) => this.toHttpError(action, error);
      (this.session as { [STORE_FAILURE_HANDLER]?: StoreFailureHandler })[STORE_FAILURE_HANDLER] = handler;
    }
    guardBracketAccess(this.session);
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
   * refreshed even when the handler never touched it, as in Flask), unless no save hook waits
   * and the interface can tell from the request that saving it would do nothing. Null sessions
   * are skipped.
   */
  save(): void | Promise<void> {
    if (this.saveStarted) return this.saveResult;
    this.saveStarted = true;
    let result: void | Promise<void>;
    try {
      if (
        !this.session &&
        !this.opening &&
        !this.saveHooks &&
        !this.sessionInterface.mustOpenToSave(this.config, this.request)
      ) {
        this.saveSettled = true;
        return undefined;
      }
      const opened = this.open();
      result = isPromise<AnySession>(opened) ? opened.then((session) => this.write(session)) : this.write(opened);
    } catch (error) {
      this.saveSettled = true;
      throw error;
    }
    if (!isPromise(result)) {
      this.saveSettled = true;
      return undefined;
    }
    this.saveResult = result.finally(() => {
      this.saveSettled = true;
    });
    return this.saveResult;
  }

  /**
   * Runs `hook` once, just before the session is saved (after the handler and any exception
   * filter, as Flask's `after_request` functions run): it may still change the session and add
   * cookies to the response. Null sessions are not saved, so their hooks do not run.
   */
  beforeSave(hook: (session: AnySession) => void): void {
    if (this.saveStarted) throw new Error('A save hook cannot be added once saving started.');
    (this.saveHooks ??= []).push(hook);
  }

  private write(session: AnySession): void | Promise<void> {
    if (this.sessionInterface.isNullSession(session)) return undefined;
    if (this.saveHooks) for (const hook of this.saveHooks) hook(session);
    return this.sessionInterface.saveSession(this.config, session, this.response);
  }

  /**
   * Maps a failure of the session layer to the HTTP error the client gets, and logs the cause:
   * a store outage is a 503, logged once per request and at a bounded rate across requests;
   * anything else a 500. `action` is 'opening', 'saving', or the session method that failed.
   */
  toHttpError(action: string, error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const during = action === 'opening' || action === 'saving' ? `while ${action} the session` : `in ${action}`;
    if (error instanceof SessionStoreUnavailableError) {
      if (!this.outageReported) {
        this.outageReported = true;
        storeOutageLogFor(this.sessionInterface, this.logger).report(
          `The session store is unavailable ${during} (answered 503): ${cause}`,
        );
      }
      return new ServiceUnavailableException('The session store is unavailable. Please try again shortly.', {
        cause: error,
      });
    }
    const what = action === 'opening' ? 'Opening the session' : action === 'saving' ? 'Saving the session' : action;
    this.logger.error(`${what} failed: ${cause}`);
    return new InternalServerErrorException(undefined, { cause: error });
  }
}
