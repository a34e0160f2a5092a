import type { Type } from '@nestjs/common';
import type { SessionConfig } from '../config/session-config.js';
import type { SessionInterface } from '../sessions/session.interface.js';

/**
 * Options of `SessionModule.forRoot()`: Flask's config keys, which win over the same keys read
 * from `ConfigService`, plus how the module is wired.
 */
export interface SessionModuleOptions extends Partial<SessionConfig> {
  /**
   * The interface that opens and saves sessions: a class (instantiated by Nest, so it can inject
   * providers) or an instance. @default SecureCookieSessionInterface
   */
  sessionInterface?: Type<SessionInterface> | SessionInterface;
  /**
   * Register the session interceptor globally. Turn it off to bind `SessionInterceptor` yourself
   * with `@UseInterceptors()`. @default true
   */
  interceptor?: boolean;
}
