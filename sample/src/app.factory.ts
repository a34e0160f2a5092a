import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type SampleModuleOptions } from './app.module.js';

/** The HTTP platform the sample runs on: the only line that differs is the adapter. */
export type SamplePlatform = 'express' | 'fastify';

export interface SampleAppOptions extends SampleModuleOptions {
  /** Nest's logger setting. @default Nest's console logger */
  logger?: LoggerService | LogLevel[] | false;
  /** @default process.env.SAMPLE_PLATFORM, else 'express' */
  platform?: SamplePlatform;
}

/** `SAMPLE_PLATFORM=fastify` picks Fastify; unset picks Express; anything else is an error. */
export function samplePlatform(value = process.env.SAMPLE_PLATFORM): SamplePlatform {
  if (value === undefined || value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  throw new Error(`SAMPLE_PLATFORM must be 'express' or 'fastify', got '${value}'`);
}

/**
 * Builds the sample application (not listening yet): `main.ts` uses it, and so do the tests,
 * which pass `{ session: { SECRET_KEY: '...' }, envFile: false, logger: false, platform }`.
 */
export async function createSampleApp(options: SampleAppOptions = {}): Promise<INestApplication> {
  const { logger, platform = samplePlatform(), ...moduleOptions } = options;
  const nestOptions = {
    // Throw start-up errors (a bad setting) to the caller instead of exiting the process.
    abortOnError: false,
    ...(logger === undefined ? {} : { logger }),
  };
  if (platform === 'fastify') {
    return NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(moduleOptions),
      new FastifyAdapter(),
      nestOptions,
    );
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(moduleOptions), nestOptions);
  // The pages are HTML; say nothing about the framework (Fastify sends no such header).
  app.disable('x-powered-by');
  return app;
}
