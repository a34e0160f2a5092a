import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SessionModule, type SessionModuleOptions } from '../../lib/index.js';

/** A Nest app with SessionModule and the given controllers, ready for supertest. */
export async function createApp(
  options: SessionModuleOptions,
  metadata: ModuleMetadata = {},
  configure?: (builder: ReturnType<typeof Test.createTestingModule>) => ReturnType<typeof Test.createTestingModule>,
): Promise<INestApplication> {
  let builder = Test.createTestingModule({ ...metadata, imports: [SessionModule.forRoot(options), ...(metadata.imports ?? [])] });
  if (configure) builder = configure(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
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
