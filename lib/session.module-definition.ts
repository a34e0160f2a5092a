import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { SessionInterceptor } from './session.interceptor.js';
import type { SessionModuleOptions } from './interfaces/session-module-options.interface.js';

/** The interceptor is registered unless `interceptor: false` is given (to forRoot, or returned by forRootAsync's factory). */
const interceptorProvider = (): Provider => ({
  provide: APP_INTERCEPTOR,
  useFactory: (options: SessionModuleOptions, reflector: Reflector) =>
    options.interceptor === false
      ? { intercept: (_context: unknown, next: { handle(): unknown }) => next.handle() }
      : new SessionInterceptor(reflector),
  // Read when forRoot() runs, after the builder below has made the token.
  inject: [SESSION_MODULE_OPTIONS, Reflector],
});

export const {
  ConfigurableModuleClass: ConfigurableSessionModule,
  MODULE_OPTIONS_TOKEN: SESSION_MODULE_OPTIONS,
  OPTIONS_TYPE: SESSION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SESSION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SessionModuleOptions>({ moduleName: 'Session' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSessionOptions')
  .setExtras({ isGlobal: false, interceptor: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    // `interceptor: false` given up front registers nothing, so Nest's interceptor pipeline is
    // skipped entirely; a factory's `interceptor: false` can only leave a pass-through in place.
    providers:
      extras.interceptor === false ? definition.providers : [...(definition.providers ?? []), interceptorProvider()],
  }))
  .build();
