import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { requestSessionContextFor, sessionContextOf } from '../get-session.js';
import type { SessionContext } from '../http/index.js';
import type { SecureCookieSession, SessionData } from '../sessions/index.js';
import type { SecretKey } from '../itsdangerous/index.js';
import type { CsrfConfig } from './csrf-config.js';
import { findCsrfToken, requestHeader, requestMethod } from './csrf-request.js';
import { CSRF_CONFIG } from './csrf.constants.js';
import { CsrfError } from './csrf.error.js';
import { generateCsrfToken, validateCsrfToken, type CsrfTokenOptions } from './csrf-token.js';
import { sameOrigin } from './same-origin.js';

/** Where a call finds its request: the handler's `ExecutionContext`, or the platform request itself. */
export type CsrfTarget = ExecutionContext | object;

function isExecutionContext(value: object): value is ExecutionContext {
  return typeof (value as Partial<ExecutionContext>).switchToHttp === 'function';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Flask-WTF's CSRF protection for one app: tokens in Flask-WTF's format, kept in the session as
 * Flask-WTF keeps them, so a token from a Flask page posts to Nest and the reverse.
 */
@Injectable()
export class CsrfService {
  /** The signed token of each request, as Flask-WTF caches it on `g`. */
  private readonly tokens = new WeakMap<SessionContext, string>();
  /** Requests already validated (Flask-WTF's `g.csrf_valid`). */
  private readonly validated = new WeakSet<SessionContext>();

  constructor(@Inject(CSRF_CONFIG) readonly config: CsrfConfig) {}

  private resolve(target: CsrfTarget): { context: SessionContext; request: object } {
    if (isExecutionContext(target)) {
      // The platform's request the context was made for, a GraphQL resolver's too.
      const context = requestSessionContextFor(target);
      return { context, request: context.request.raw as object };
    }
    return { context: sessionContextOf(target), request: target };
  }

  private async sessionOf(context: SessionContext): Promise<SecureCookieSession<SessionData>> {
    const session = (await context.openForHandler()) as SecureCookieSession<SessionData>;
    session.accessed = true;
    return session;
  }

  private tokenOptions(context: SessionContext): CsrfTokenOptions {
    const secretKey: SecretKey | null = this.config.WTF_CSRF_SECRET_KEY ?? context.config.SECRET_KEY;
    if (!secretKey) throw new Error('A secret key is required to use CSRF: set WTF_CSRF_SECRET_KEY or SECRET_KEY.');
    return { secretKey, fieldName: this.config.WTF_CSRF_FIELD_NAME, timeLimit: this.config.WTF_CSRF_TIME_LIMIT };
  }

  /**
   * Flask-WTF's `generate_csrf` (`{{ csrf_token() }}`): the request's signed token, the same for
   * every call in one request; the raw value is stored in the session when it has none.
   */
  async generateCsrf(target: CsrfTarget): Promise<string> {
    const { context } = this.resolve(target);
    const cached = this.tokens.get(context);
    if (cached !== undefined) return cached;
    const token = generateCsrfToken(await this.sessionOf(context), this.tokenOptions(context));
    this.tokens.set(context, token);
    return token;
  }

  /** Flask-WTF's `csrf_meta_tag`: `<meta name="csrf-token" content="...">` for scripts to send back in a header. */
  async metaTag(target: CsrfTarget): Promise<string> {
    const token = await this.generateCsrf(target);
    return `<meta name="${escapeHtml(this.config.WTF_CSRF_META_NAME)}" content="${escapeHtml(token)}">`;
  }

  /** Flask-WTF's `validate_csrf`: throws a {@link CsrfError} saying why `token` is refused. */
  async validateCsrf(target: CsrfTarget, token: string | null | undefined): Promise<void> {
    const { context } = this.resolve(target);
    validateCsrfToken(await this.sessionOf(context), token, this.tokenOptions(context));
  }

  /**
   * Flask-WTF's `CSRFProtect.protect`: for a method of `WTF_CSRF_METHODS`, the token from the form
   * or the headers must validate, and over HTTPS with `WTF_CSRF_SSL_STRICT` the `Referer` must be
   * this host. Throws a {@link CsrfError}; does nothing when `WTF_CSRF_ENABLED` is false.
   */
  async protect(target: CsrfTarget): Promise<void> {
    if (!this.config.WTF_CSRF_ENABLED) return;
    const { context, request } = this.resolve(target);
    if (this.validated.has(context) || !this.config.WTF_CSRF_METHODS.includes(requestMethod(request))) return;
    const token = findCsrfToken(request, this.config.WTF_CSRF_FIELD_NAME, this.config.WTF_CSRF_HEADERS);
    await this.validateCsrf(target, token);
    if (context.request.secure && this.config.WTF_CSRF_SSL_STRICT) {
      const referrer = requestHeader(request, 'referer');
      if (!referrer) throw new CsrfError('referrerMissing');
      if (!sameOrigin(referrer, `https://${requestHeader(request, 'host') ?? ''}/`))
        throw new CsrfError('referrerMismatch');
    }
    this.validated.add(context);
  }
}
