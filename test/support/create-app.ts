import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { RedisSessionInterface, SessionInterface, SessionModule, type SessionModuleOptions } from 'nest-flask-session';

/** The HTTP platforms every e2e suite runs on. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** For Fastify: the adapter (its own options, such as trustProxy) and what to register before init. */
export interface FastifySetup {
  adapter?: FastifyAdapter;
  beforeInit?: (app: NestFastifyApplication) => Promise<void>;
}

/** An app on the platform, initialised and (on Fastify) ready, so supertest can call `getHttpServer()`. */
export async function createPlatformApp(
  moduleRef: TestingModule,
  platform: Platform,
  logger: false | undefined = false,
  { adapter, beforeInit }: FastifySetup = {},
): Promise<INestApplication> {
  const appOptions = logger === false ? { logger: false as const } : {};
  if (platform === 'express') {
    const app = moduleRef.createNestApplication(appOptions);
    await app.init();
    return app;
  }
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter ?? new FastifyAdapter(), appOptions);
  await beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** A Nest app with SessionModule and the given controllers, ready for supertest. */
export async function createApp(
  options: SessionModuleOptions,
  metadata: ModuleMetadata = {},
  configure?: (builder: ReturnType<typeof Test.createTestingModule>) => ReturnType<typeof Test.createTestingModule>,
  platform: Platform = 'express',
  fastify: FastifySetup = {},
): Promise<INestApplication> {
  let builder = Test.createTestingModule({
    ...metadata,
    imports: [SessionModule.forRoot(options), ...(metadata.imports ?? [])],
  });
  if (configure) builder = configure(builder);
  return createPlatformApp(await builder.compile(), platform, false, fastify);
}

/** Closes the app, then its session interface when that holds a Redis connection. */
export async function closeApp(app: INestApplication): Promise<void> {
  await app.close();
  const sessionInterface = app.get(SessionInterface);
  if (sessionInterface instanceof RedisSessionInterface) await sessionInterface.close();
}

/**
 * The app from `start`, created before the enclosing suite's tests and closed (with a Redis-backed
 * session interface) after them; until then the returned stand-in throws on use.
 */
export function useApp<T extends INestApplication = INestApplication>(start: () => Promise<T>): T {
  let app: T | undefined;
  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    if (app) await closeApp(app);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!app) throw new Error('the app starts in beforeAll; use it inside a hook or test');
      const value: unknown = Reflect.get(app, key, app);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(app) : value;
    },
  });
}

/** After each test, closes the app `current()` gives then (if any, and not closed already). */
export function closeAfterEach(current: () => INestApplication | undefined): void {
  const closed = new WeakSet<INestApplication>();
  afterEach(async () => {
    const app = current();
    if (!app || closed.has(app)) return;
    closed.add(app);
    await app.close();
  });
}

/** An app listening on 127.0.0.1 for the enclosing suite's tests. */
export interface ListeningApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
}

/**
 * {@link useApp}, listening on a free port of 127.0.0.1: for clients that need a real server
 * (another process, a shared cookie jar, raw sockets).
 */
export function useListeningApp(start: () => Promise<INestApplication>): ListeningApp {
  const app = useApp(async () => {
    const started = await start();
    await started.listen(0, '127.0.0.1');
    return started;
  });
  return {
    app,
    get port() {
      return (app.getHttpServer() as { address(): AddressInfo }).address().port;
    },
    get base() {
      return `http://127.0.0.1:${this.port}`;
    },
  };
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
