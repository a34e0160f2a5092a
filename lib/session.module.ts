import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type NestModule,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { createSessionConfig, type SessionConfig } from './config/session-config.js';
import { SecureCookieSessionInterface } from './sessions/secure-cookie-session.interface.js';
import { SessionInterface } from './sessions/session.interface.js';
import { findWeakSecretKeys } from './config/secret-keys.js';
import { SessionConfigError } from './config/session-config.error.js';
import { resolveSessionConfig, type ConfigReader } from './config/resolve-session-config.js';
import { SESSION_CONFIG } from './session.constants.js';
import { bindSessionsToPlatform, type HttpAdapterLike } from './session-binding.js';
import {
  ConfigurableSessionModule,
  moduleInterceptors,
  SESSION_MODULE_OPTIONS,
  SESSION_OPTIONS_TYPE,
} from './session.module-definition.js';
import { attachToSessionHandlers, type AttachedInterceptor } from './session-interceptor-scope.js';
import { findSessionContext } from './http/session-context.js';
import type { SessionModuleOptions } from './interfaces/session-module-options.interface.js';

/** `ConfigService.get`, when the application has `@nestjs/config` (an optional peer) loaded. */
export async function findConfigReader(moduleRef: ModuleRef): Promise<ConfigReader | undefined> {
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

/**
 * Weak keys (short, guessable, or a published placeholder) are logged in development. In
 * production a weak `SECRET_KEY` or a placeholder anywhere fails start-up; a short or guessable
 * fallback is only logged, since rotating away from it needs it to keep verifying for a while.
 */
function checkSecretKeyStrength(config: SessionConfig, production: boolean, logger: Logger): void {
  for (const { key, reason, placeholder } of findWeakSecretKeys(config)) {
    if (production && (placeholder || key === 'SECRET_KEY')) {
      throw new SessionConfigError(
        key,
        `${reason}. Refusing to start with NODE_ENV=production: generate one with node -e "console.log(require('node:crypto').randomBytes(32).toString('hex'))".`,
      );
    }
    logger.warn(
      `${key} ${reason}.${production ? ' Remove it once PERMANENT_SESSION_LIFETIME has passed since the rotation.' : ' NODE_ENV=production refuses such a SECRET_KEY.'}`,
    );
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
    private readonly sessionInterface: SessionInterface,
    private readonly moduleRef: ModuleRef,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
  ) {
    super();
  }

  /** Set while the app registers its HTTP routes (from `configure()` to `onModuleInit()`). */
  private routeInterceptors?: AttachedInterceptor;

  /** Resolves and validates the config at start-up: a bad value fails `app.init()`, naming the key. */
  async onModuleInit(): Promise<void> {
    // Nest has registered the HTTP routes (see configure()): the global interceptor is back for the rest.
    this.routeInterceptors?.detach();
    this.routeInterceptors = undefined;
    moduleInterceptors.get(this.options)?.show();
    const read = await findConfigReader(this.moduleRef);
    Object.assign(this.config, resolveSessionConfig(this.options, read));
    this.sessionInterface.checkConfig(this.config);
    const logger = new Logger('Session');
    if (!this.config.SECRET_KEY && this.sessionInterface.requiresSecretKey(this.config)) {
      logger.warn(
        'No SECRET_KEY is set: sessions are read-only and every write fails. Set SECRET_KEY in the environment or .env, or pass it to SessionModule.forRoot().',
      );
    }
    checkSecretKeyStrength(this.config, (read?.('NODE_ENV') ?? process.env.NODE_ENV) === 'production', logger);
  }

  static override forRoot(options: typeof SESSION_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * Binds sessions to the HTTP platform once, at start-up: on Express, through the app's own
   * response prototype; on Fastify, through its `onRequest`/`onSend` hooks. Nothing runs per
   * request until the session is used or the response's headers are about to go out.
   */
  configure(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterLike | undefined;
    if (!adapter) return;
    // Nest calls configure() right before it registers the HTTP routes, and onModuleInit() right
    // after: in between, the interceptor runs only on handlers that take @Session(), so routes
    // that never use the session skip Nest's interceptor pipeline.
    const global = moduleInterceptors.get(this.options);
    if (global) {
      global.hide();
      if (global.interceptor) {
        this.routeInterceptors = attachToSessionHandlers(
          this.modules,
          global.interceptor,
          (request) => findSessionContext(request)?.config === this.config,
        );
      }
    }
    bindSessionsToPlatform(
      adapter,
      { config: this.config, sessionInterface: this.sessionInterface, logger: new Logger('Session') },
      new Logger('Session'),
    );
  }
}
