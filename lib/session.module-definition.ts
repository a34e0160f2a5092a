import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { SessionInterceptor } from './session.interceptor.js';
import { ModuleSessionInterceptor } from './session-interceptor-scope.js';
import type { SessionModuleOptions } from './interfaces/session-module-options.interface.js';

/** The global interceptor of each module's options, for the module to find its own. */
export const moduleInterceptors = new WeakMap<SessionModuleOptions, ModuleSessionInterceptor>();

/**
 * The interceptor is registered unless `interceptor: false` is given (to forRoot, or returned by
 * forRootAsync's factory, which leaves a pass-through); see {@link ModuleSessionInterceptor} for
 * which routes run it.
 */
const interceptorProvider = (): Provider => ({
  provide: APP_INTERCEPTOR,
  useFactory: (options: SessionModuleOptions, reflector: Reflector) => {
    const interceptor = new ModuleSessionInterceptor(
      options.interceptor === false ? null : new SessionInterceptor(reflector),
    );
    moduleInterceptors.set(options, interceptor);
    return interceptor;
  },
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
