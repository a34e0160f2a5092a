import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { SessionModule, type SessionModuleOptions } from 'nest-flask-session';

/** The HTTP platforms every e2e suite runs on. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** An app on the platform, initialised and (on Fastify) ready, so supertest can call `getHttpServer()`. */
export async function createPlatformApp(
  moduleRef: TestingModule,
  platform: Platform,
  logger: false | undefined = false,
): Promise<INestApplication> {
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(
          new FastifyAdapter(),
          logger === false ? { logger: false } : {},
        )
      : moduleRef.createNestApplication(logger === false ? { logger: false } : {});
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

/** A Nest app with SessionModule and the given controllers, ready for supertest. */
export async function createApp(
  options: SessionModuleOptions,
  metadata: ModuleMetadata = {},
  configure?: (builder: ReturnType<typeof Test.createTestingModule>) => ReturnType<typeof Test.createTestingModule>,
  platform: Platform = 'express',
): Promise<INestApplication> {
  let builder = Test.createTestingModule({
    ...metadata,
    imports: [SessionModule.forRoot(options), ...(metadata.imports ?? [])],
  });
  if (configure) builder = configure(builder);
  return createPlatformApp(await builder.compile(), platform);
}

/** The `Set-Cookie` headers of a response, as a list. */
export function setCookies(headers: Record<string, unknown>): string[] {
  const value = headers['set-cookie'];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as string[]) : [String(value)];
}

/** The value of the session cookie in a response, or undefined. */
export function sessionCookieValue(headers: Record<string, unknown>, name = 'session'): string | undefined {
  const header = setCookies(headers).find((line) => line.startsWith(`${name}=`));
  return header?.split(';', 1)[0]!.slice(name.length + 1);
}
