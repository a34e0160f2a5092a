import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { AppModule, type SampleModuleOptions } from './app.module.js';

export interface SampleAppOptions extends SampleModuleOptions {
  /** Nest's logger setting. @default Nest's console logger */
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the sample application (not listening yet): `main.ts` uses it, and so do the tests,
 * which pass `{ session: { SECRET_KEY: '...' }, envFile: false, logger: false }`.
 */
export async function createSampleApp(options: SampleAppOptions = {}): Promise<NestExpressApplication> {
  const { logger, ...moduleOptions } = options;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(moduleOptions), {
    // Throw start-up errors (a bad setting) to the caller instead of exiting the process.
    abortOnError: false,
    ...(logger === undefined ? {} : { logger }),
  });
  // The pages are HTML; say nothing about the framework.
  app.disable('x-powered-by');
  return app;
}
