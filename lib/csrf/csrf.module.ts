import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD, ModuleRef } from '@nestjs/core';
import { findConfigReader } from '../session.module.js';
import { DEFAULT_CSRF_CONFIG, resolveCsrfConfig, type CsrfConfig } from './csrf-config.js';
import { AppCsrfGuard, CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { CSRF_CONFIG, CSRF_MODULE_OPTIONS } from './csrf.constants.js';

/** `CsrfModule.forRoot()` options: Flask-WTF's keys (read from `ConfigService` when not given). */
export interface CsrfModuleOptions extends Partial<CsrfConfig> {
  /**
   * Register the guard app-wide, as `CSRFProtect(app)` does (then `WTF_CSRF_CHECK_DEFAULT=false`
   * turns it off); false leaves protection to `@UseGuards(CsrfGuard)`. @default true
   */
  global?: boolean;
}

/**
 * Flask-WTF's CSRF protection for Nest, on the sessions of `SessionModule`. Global: its
 * {@link CsrfService} and {@link CsrfGuard} are injectable everywhere. Flask-WTF's keys are
 * validated at start-up.
 */
@Module({})
export class CsrfModule implements OnModuleInit {
  constructor(
    @Inject(CSRF_MODULE_OPTIONS) private readonly options: CsrfModuleOptions,
    @Inject(CSRF_CONFIG) private readonly config: CsrfConfig,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    Object.assign(this.config, resolveCsrfConfig(this.options, await findConfigReader(this.moduleRef)));
  }

  static forRoot(options: CsrfModuleOptions = {}): DynamicModule {
    return {
      module: CsrfModule,
      global: true,
      providers: [
        { provide: CSRF_MODULE_OPTIONS, useValue: options },
        // Filled in by onModuleInit, once ConfigService (wherever it lives) exists.
        { provide: CSRF_CONFIG, useFactory: (): CsrfConfig => ({ ...DEFAULT_CSRF_CONFIG }) },
        CsrfService,
        CsrfGuard,
        ...(options.global === false ? [] : [{ provide: APP_GUARD, useClass: AppCsrfGuard }]),
      ],
      exports: [CsrfService, CsrfGuard, CSRF_CONFIG],
    };
  }
}
