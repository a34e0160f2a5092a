import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { SessionConfig } from '../config/session-config.js';
import type { SessionInterface } from '../sessions/session.interface.js';

/**
 * Options of `SessionModule.forRoot()`: Flask's config keys, which win over the same keys read
 * from `ConfigService` (or `process.env` when the app has no `ConfigService`), plus how the module
 * is wired.
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
  /** Make the module's providers (`SESSION_CONFIG`, `SessionInterface`) visible everywhere. @default false */
  isGlobal?: boolean;
}

/** A class for `SessionModule.forRootAsync({ useClass })` or `({ useExisting })`. */
export interface SessionOptionsFactory {
  createSessionOptions(): SessionModuleOptions | Promise<SessionModuleOptions>;
}

/** Options of `SessionModule.forRootAsync()`: one of `useFactory`, `useClass` or `useExisting`. */
export interface SessionModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Returns the options; its parameters are the providers named in `inject`. */
  useFactory?: (...args: never[]) => SessionModuleOptions | Promise<SessionModuleOptions>;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** A class Nest instantiates (it may inject providers) whose `createSessionOptions()` gives the options. */
  useClass?: Type<SessionOptionsFactory>;
  /** A provider, already available to the module, whose `createSessionOptions()` gives the options. */
  useExisting?: Type<SessionOptionsFactory>;
  /** As in {@link SessionModuleOptions}; a factory's `interceptor: false` leaves a pass-through in place. */
  interceptor?: boolean;
  isGlobal?: boolean;
}
