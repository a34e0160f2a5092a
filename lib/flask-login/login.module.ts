import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, ModuleRef } from '@nestjs/core';
import { findConfigReader } from '../session.module.js';
import { DEFAULT_LOGIN_CONFIG, resolveLoginConfig, type LoginConfig } from './login-config.js';
import { LoginContextGuard } from './login-context.guard.js';
import { LoginManager } from './login-manager.service.js';
import type { LoginModuleOptions } from './login-module-options.interface.js';
import { LoginRedirectFilter } from './login-redirect.filter.js';
import { FreshLoginRequiredGuard, LoginRequiredGuard } from './login-required.guard.js';
import { LOGIN_CONFIG, LOGIN_MODULE_OPTIONS } from './login.constants.js';
import { UserLoader } from './user-loader.js';

/**
 * Flask-Login for Nest, on the sessions of `SessionModule`:
 * `LoginModule.forRoot({ userLoader: UsersLoader, loginView: '/login' })`. Global: its
 * {@link LoginManager} and guards are injectable everywhere. Flask-Login's config keys not given
 * here are read from `ConfigService`, and validated at start-up.
 */
@Module({})
export class LoginModule implements OnModuleInit {
  constructor(
    @Inject(LOGIN_MODULE_OPTIONS) private readonly options: LoginModuleOptions,
    @Inject(LOGIN_CONFIG) private readonly config: LoginConfig,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    Object.assign(this.config, resolveLoginConfig(this.options, await findConfigReader(this.moduleRef)));
  }

  static forRoot(options: LoginModuleOptions): DynamicModule {
    return {
      module: LoginModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: LOGIN_MODULE_OPTIONS, useValue: options },
        // Filled in by onModuleInit, once ConfigService (wherever it lives) exists.
        { provide: LOGIN_CONFIG, useFactory: (): LoginConfig => ({ ...DEFAULT_LOGIN_CONFIG }) },
        { provide: UserLoader, useClass: options.userLoader },
        LoginManager,
        LoginRequiredGuard,
        FreshLoginRequiredGuard,
        { provide: APP_GUARD, useClass: LoginContextGuard },
        { provide: APP_FILTER, useClass: LoginRedirectFilter },
      ],
      exports: [LoginManager, UserLoader, LOGIN_CONFIG, LoginRequiredGuard, FreshLoginRequiredGuard],
    };
  }
}
