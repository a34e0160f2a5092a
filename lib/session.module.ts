import { Logger, Module, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, ModuleRef, Reflector } from '@nestjs/core';
import type { SessionConfig } from './interfaces/session-config.js';
import { SecureCookieSessionInterface } from './interfaces/secure-cookie-session.interface.js';
import { SessionInterface } from './interfaces/session.interface.js';
import { resolveSessionConfig, type ConfigReader } from './session-config.factory.js';
import { SESSION_CONFIG } from './session.constants.js';
import { SessionInterceptor } from './session.interceptor.js';
import { SessionMiddleware } from './session.middleware.js';
import { ConfigurableSessionModule, SESSION_MODULE_OPTIONS } from './session.module-definition.js';
import type { SessionModuleOptions } from './session-module-options.interface.js';

/** `ConfigService.get`, when the application has `@nestjs/config` (an optional peer) loaded. */
async function findConfigReader(moduleRef: ModuleRef): Promise<ConfigReader | undefined> {
  let configModule: typeof import('@nestjs/config');
  try {
    configModule = await import('@nestjs/config');
  } catch {
    return undefined;
  }
  try {
    const configService = moduleRef.get(configModule.ConfigService, { strict: false });
    return (key) => configService.get<unknown>(key);
  } catch {
    return undefined;
  }
}

const providers: Provider[] = [
  {
    provide: SESSION_CONFIG,
    useFactory: async (options: SessionModuleOptions, moduleRef: ModuleRef): Promise<SessionConfig> => {
      const config = resolveSessionConfig(options, await findConfigReader(moduleRef));
      if (!config.SECRET_KEY) {
        new Logger('Session').warn(
          'No SECRET_KEY is set: sessions are read-only and every write fails. Set SECRET_KEY in the environment or .env, or pass it to SessionModule.forRoot().',
        );
      }
      return config;
    },
    inject: [SESSION_MODULE_OPTIONS, ModuleRef],
  },
  {
    provide: SessionInterface,
    useFactory: async (options: SessionModuleOptions, moduleRef: ModuleRef): Promise<SessionInterface> => {
      const choice = options.sessionInterface ?? SecureCookieSessionInterface;
      const sessionInterface = typeof choice === 'function' ? await moduleRef.create(choice) : choice;
      sessionInterface.logger = new Logger('Session');
      return sessionInterface;
    },
    inject: [SESSION_MODULE_OPTIONS, ModuleRef],
  },
  {
    provide: APP_INTERCEPTOR,
    useFactory: (options: SessionModuleOptions, reflector: Reflector) =>
      options.interceptor === false ? { intercept: (_context: unknown, next: { handle(): unknown }) => next.handle() } : new SessionInterceptor(reflector),
    inject: [SESSION_MODULE_OPTIONS, Reflector],
  },
  SessionMiddleware,
];

/**
 * Flask's sessions for Nest: `SessionModule.forRoot({ SECRET_KEY })`, or `forRootAsync()`.
 * Options are Flask's config keys; any not given are read from `ConfigService` when the app has
 * `ConfigModule`, and Flask's defaults fill the rest.
 */
@Module({ providers, exports: [SessionInterface, SESSION_CONFIG] })
export class SessionModule extends ConfigurableSessionModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
  }
}
