import { Inject, Logger, Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnModuleInit, type Provider } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { createSessionConfig, type SessionConfig } from './interfaces/session-config.js';
import { SecureCookieSessionInterface } from './interfaces/secure-cookie-session.interface.js';
import { SessionInterface } from './interfaces/session.interface.js';
import { resolveSessionConfig, type ConfigReader } from './session-config.factory.js';
import { SESSION_CONFIG } from './session.constants.js';
import { SessionMiddleware } from './session.middleware.js';
import { ConfigurableSessionModule, SESSION_MODULE_OPTIONS, SESSION_OPTIONS_TYPE } from './session.module-definition.js';
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
    const configService = moduleRef.get(configModule.ConfigService, { strict: false }) as InstanceType<
      typeof configModule.ConfigService
    > | null;
    return configService ? (key) => configService.get<unknown>(key) : undefined;
  } catch {
    return undefined;
  }
}

const providers: Provider[] = [
  // Filled in by SessionModule.onModuleInit, once ConfigService (wherever it lives) exists.
  { provide: SESSION_CONFIG, useFactory: (): SessionConfig => createSessionConfig() },
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
  SessionMiddleware,
];

/**
 * Flask's sessions for Nest: `SessionModule.forRoot({ SECRET_KEY })`, or `forRootAsync()`.
 * Options are Flask's config keys; any not given are read from `ConfigService` when the app has
 * `ConfigModule`, and Flask's defaults fill the rest.
 */
@Module({ providers, exports: [SessionInterface, SESSION_CONFIG] })
export class SessionModule extends ConfigurableSessionModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(SESSION_MODULE_OPTIONS) private readonly options: SessionModuleOptions,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  /** Resolves and validates the config at start-up: a bad value fails `app.init()`, naming the key. */
  async onModuleInit(): Promise<void> {
    Object.assign(this.config, resolveSessionConfig(this.options, await findConfigReader(this.moduleRef)));
    if (!this.config.SECRET_KEY) {
      new Logger('Session').warn(
        'No SECRET_KEY is set: sessions are read-only and every write fails. Set SECRET_KEY in the environment or .env, or pass it to SessionModule.forRoot().',
      );
    }
  }

  static override forRoot(options: typeof SESSION_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * On Express the middleware is mounted with a plain `app.use()`, ahead of every route and of
   * other modules' middleware: Nest's route-matched middleware (`forRoutes('{*path}')`) costs a
   * path match, a WeakSet entry and a promise per request. Other adapters get Nest's way.
   */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter as { getType(): string; use(handler: unknown): unknown } | undefined;
    if (adapter?.getType() === 'express') {
      const middleware = this.moduleRef.get(SessionMiddleware);
      adapter.use(middleware.use.bind(middleware));
      return;
    }
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
  }
}
