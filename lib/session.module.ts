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
import type { SessionConfig } from './config/session-config.js';
import { SecureCookieSessionInterface } from './sessions/secure-cookie-session.interface.js';
import { SessionInterface } from './sessions/session.interface.js';
import { findWeakSecretKeys } from './config/secret-keys.js';
import { SessionConfigError } from './config/session-config.error.js';
import { resolveSessionConfig, type ConfigReader } from './config/resolve-session-config.js';
import { findConfigSource, type ConfigSource } from './config-source.js';
import { assertOneSessionConfiguration } from './single-configuration.js';
import { SESSION_CONFIG, SESSION_CONFIG_SOURCE } from './session.constants.js';
import { bindSessionsToPlatform, type HttpAdapterLike } from './session-binding.js';
import { ConfigurableSessionModule, moduleInterceptors, SESSION_MODULE_OPTIONS } from './session.module-definition.js';
import { attachToSessionHandlers, type AttachedInterceptor } from './session-interceptor-scope.js';
import { findSessionContext } from './http/session-context.js';
import type { SessionModuleAsyncOptions, SessionModuleOptions } from './interfaces/session-module-options.interface.js';

/**
 * `ConfigService.get`, when the application has `@nestjs/config` (an optional peer) loaded and
 * ConfigService already exists (read in `onModuleInit`, as CsrfModule and LoginModule do).
 */
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
  { provide: SESSION_CONFIG_SOURCE, useFactory: findConfigSource, inject: [ModuleRef] },
  {
    // Resolved and validated here, so whatever injects it sees the final config; a bad value
    // fails start-up, naming the key.
    provide: SESSION_CONFIG,
    useFactory: (options: SessionModuleOptions, source: ConfigSource): SessionConfig =>
      resolveSessionConfig(options, source.read),
    inject: [SESSION_MODULE_OPTIONS, SESSION_CONFIG_SOURCE],
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
];

/** Express and Fastify instances sessions are bound to already (by the first of several equal SessionModules). */
const boundPlatforms = new WeakSet<object>();

/**
 * Flask's sessions for Nest: `SessionModule.forRoot({ SECRET_KEY })`, or `forRootAsync()`.
 * Options are Flask's config keys; any not given are read from `ConfigService` when the app has
 * `ConfigModule`, else from `process.env`, and Flask's defaults fill the rest.
 */
@Module({ providers, exports: [SessionInterface, SESSION_CONFIG] })
export class SessionModule extends ConfigurableSessionModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
    @Inject(SESSION_CONFIG_SOURCE) private readonly source: ConfigSource,
    private readonly sessionInterface: SessionInterface,
    private readonly modules: ModulesContainer,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(SESSION_MODULE_OPTIONS) private readonly options: SessionModuleOptions,
  ) {
    super();
  }

  /** Set while the app registers its HTTP routes (from `configure()` to `onModuleInit()`). */
  private routeInterceptors?: AttachedInterceptor;

  /** Start-up checks: one configuration per app, a `SECRET_KEY` (warned about), its strength. */
  onModuleInit(): void {
    // Nest has registered the HTTP routes (see configure()): the global interceptor is back for the rest.
    this.routeInterceptors?.detach();
    this.routeInterceptors = undefined;
    moduleInterceptors.get(this.options)?.show();
    assertOneSessionConfiguration(this.modules, SessionModule, SESSION_MODULE_OPTIONS);
    this.sessionInterface.checkConfig(this.config);
    const logger = new Logger('Session');
    if (!this.config.SECRET_KEY && this.sessionInterface.requiresSecretKey(this.config)) {
      logger.warn(
        'No SECRET_KEY is set: sessions are read-only and every write fails. SessionModule reads SECRET_KEY from ' +
          `SessionModule.forRoot()'s options, then from ${this.source.description}: set it in one of them.`,
      );
    }
    const nodeEnv = this.source.read('NODE_ENV') ?? process.env.NODE_ENV;
    checkSecretKeyStrength(this.config, nodeEnv === 'production', logger);
  }

  /** Flask's config keys (the rest are read from `ConfigService` or `process.env`), and how the module is wired. */
  static override forRoot(options: SessionModuleOptions = {}): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * The options from a factory (`useFactory` + `inject`), or from the `createSessionOptions()` of
   * a {@link SessionOptionsFactory} class (`useClass`, or `useExisting` for a provider the module
   * can already see).
   */
  static override forRootAsync(options: SessionModuleAsyncOptions): DynamicModule {
    return super.forRootAsync(options as Parameters<typeof ConfigurableSessionModule.forRootAsync>[0]);
  }

  /**
   * Binds sessions to the HTTP platform once, at start-up: on Express, through the app's own
   * response prototype; on Fastify, through its `onRequest`/`onSend` hooks. Nothing runs per
   * request until the session is used or the response's headers are about to go out.
   */
  configure(): void {
    assertOneSessionConfiguration(this.modules, SessionModule, SESSION_MODULE_OPTIONS);
    const adapter = this.adapterHost.httpAdapter as HttpAdapterLike | undefined;
    if (!adapter) return;
    // Nest calls configure() right before it registers the HTTP routes, and onModuleInit() right
    // after: in between, the interceptor runs only on handlers that take @Session(), so routes
    // that never use the session skip Nest's interceptor pipeline.
    const global = moduleInterceptors.get(this.options);
    global?.hide();
    // Equal configurations imported twice: the first binds, the others have nothing to add.
    const platform = adapter.getInstance() as object;
    if (boundPlatforms.has(platform)) return;
    boundPlatforms.add(platform);
    if (global?.interceptor) {
      this.routeInterceptors = attachToSessionHandlers(
        this.modules,
        global.interceptor,
        (request) => findSessionContext(request)?.config === this.config,
      );
    }
    bindSessionsToPlatform(
      adapter,
      { config: this.config, sessionInterface: this.sessionInterface, logger: new Logger('Session') },
      new Logger('Session'),
    );
  }
}
