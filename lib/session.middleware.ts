import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { SessionConfig } from './interfaces/session-config.js';
import { SessionInterface } from './interfaces/session.interface.js';
import { SessionContext } from './session-context.js';
import { SESSION_CONFIG } from './session.constants.js';
import type { SecureCookieSession, SessionData } from './sessions/secure-cookie-session.js';

/**
 * Runs first on every request: attaches the request's session context (so guards, which run
 * before interceptors, can reach the session) and hooks the response so the session is saved
 * before its headers go out. The session itself opens lazily.
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  private readonly logger = new Logger('Session');

  constructor(
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
    private readonly sessionInterface: SessionInterface<SecureCookieSession<SessionData>>,
  ) {}

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    if (!SessionContext.of(req)) {
      const context = new SessionContext(this.config, this.sessionInterface, req, res, this.logger);
      context.attach(req);
      context.hookResponse(res);
    }
    next();
  }
}
