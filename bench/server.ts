/**
 * One benchmark server per process: `node .bench-dist/bench/server.js <kind> <port> [redisUrl]`.
 * Every kind serves `GET /hit` (the first call logs in: it stores a login-shaped session; every
 * call increments `n`, so the session is saved and its cookie re-sent), `GET /read` (reads one
 * value: no Set-Cookie) and `GET /plain` (never touches the session: no `@Session()`). The parent
 * asks over IPC for `{ cpu, requests }` (CPU time per request inside the server), for `cookies`
 * (distinct login sessions the app accepts, for the many-sessions workload) and for `cache` (the
 * verified-cookie cache's hits and misses).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  type CallHandler,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import {
  CookieSessionInterface,
  EncryptedCookieSessionInterface,
  FlaskSessionRedisInterface,
  RedisSessionInterface,
  SecureCookieSession,
  SecureCookieSessionInterface,
  Session,
  SESSION_CONFIG,
  SessionInterface,
  SessionModule,
  type SessionConfig,
  type SessionModuleOptions,
} from '../lib/index.js';
import { FloorSessions } from './floor.js';

/** Express apps: ratios against `nest-bare`. Fastify apps (`fastify-…`): against `fastify-nest-bare`. */
export const SERVER_KINDS = [
  'nest-bare',
  'nest-bare-interceptor',
  'nest-flask-session-cookie',
  'nest-flask-session-cookie-no-interceptor',
  'nest-flask-session-cookie-no-cache',
  'nest-flask-session-encrypted',
  'nest-flask-session-encrypted-no-cache',
  'nest-flask-session-redis',
  'nest-flask-session-flask-redis',
  'nest-cookie-session',
  'nest-express-session',
  'nest-express-session-redis',
  'nest-floor',
  'fastify-nest-bare',
  'fastify-nest-bare-interceptor',
  'fastify-nest-flask-session-cookie',
  'fastify-nest-flask-session-cookie-no-interceptor',
  'fastify-nest-flask-session-cookie-no-cache',
  'fastify-nest-flask-session-encrypted',
  'fastify-nest-flask-session-encrypted-no-cache',
  'fastify-nest-flask-session-redis',
  'fastify-nest-flask-session-flask-redis',
  'fastify-nest-secure-session',
  'fastify-nest-floor',
] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const ceilingOf = (kind: ServerKind): ServerKind =>
  kind.startsWith('fastify-') ? 'fastify-nest-bare' : 'nest-bare';

const SECRET = 'benchmark secret key, 32 bytes long!';

/** A session shaped like a real login (its Flask cookie is compressed, about 190 bytes). */
type Login = { uid?: number; user?: string; roles?: string[]; csrf?: string; n?: number };
const login = (uid = 4242): Required<Omit<Login, 'n'>> => ({
  uid,
  user: 'alice@example.com',
  roles: ['admin', 'editor'],
  csrf: randomBytes(16).toString('hex'),
});

const floor = new FloorSessions(SECRET);

@Controller()
class BareController {
  private n = 0;
  @Get('/hit')
  hit() {
    this.n += 1;
    return String(this.n);
  }
  @Get('/read')
  read() {
    return 'alice@example.com';
  }
  @Get('/plain')
  plain() {
    return 'plain';
  }
}

@Controller()
class FlaskSessionController {
  @Get('/hit')
  hit(@Session() session: SecureCookieSession<Login>) {
    if (!session.has('uid')) session.update(login());
    const n = (session.get('n') ?? 0) + 1;
    session.set('n', n);
    return String(n);
  }
  @Get('/read')
  read(@Session('user') user?: string) {
    return user ?? '';
  }
  /** A route that never uses the session, in an app that imports the module. */
  @Get('/plain')
  plain() {
    return 'plain';
  }
}

/** The floor sketch's handlers (bench/floor.ts): the session is parsed only where a handler asks. */
@Controller()
class FloorController {
  @Get('/hit')
  hit(@Req() req: object) {
    const session = floor.session(req) as Login;
    if (session.uid === undefined) Object.assign(session, login());
    session.n = (session.n ?? 0) + 1;
    floor.touch(req);
    return String(session.n);
  }
  @Get('/read')
  read(@Req() req: object) {
    return String((floor.session(req) as Login).user ?? '');
  }
  @Get('/plain')
  plain() {
    return 'plain';
  }
}

/** express-session, cookie-session and @fastify/secure-session all hang a session object on the request. */
@Controller()
class RequestSessionController {
  @Get('/hit')
  hit(
    @Req() req: { session: Login & { get?: (key: string) => unknown; set?: (key: string, value: unknown) => void } },
  ) {
    const session = req.session;
    if (session.get && session.set) {
      // @fastify/secure-session's API
      if (session.get('uid') === undefined) for (const [key, value] of Object.entries(login())) session.set(key, value);
      const n = ((session.get('n') as number | undefined) ?? 0) + 1;
      session.set('n', n);
      return String(n);
    }
    if (session.uid === undefined) Object.assign(session, login());
    session.n = (session.n ?? 0) + 1;
    return String(session.n);
  }
  @Get('/read')
  read(@Req() req: { session: Login & { get?: (key: string) => unknown } }) {
    return String((req.session.get ? req.session.get('user') : req.session.user) ?? '');
  }
  @Get('/plain')
  plain() {
    return 'plain';
  }
}

/** Does nothing: shows what Nest's interceptor pipeline costs by itself. */
@Injectable()
class NoopInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler) {
    return next.handle();
  }
}

function moduleFor(kind: ServerKind, redisUrl: string | undefined): Type {
  const bare = kind.endsWith('nest-bare') || kind.endsWith('nest-bare-interceptor');
  if (bare) {
    const providers = kind.endsWith('-interceptor') ? [{ provide: APP_INTERCEPTOR, useClass: NoopInterceptor }] : [];
    @Module({ controllers: [BareController], providers })
    class Bare {}
    return Bare;
  }
  if (kind.endsWith('-floor')) {
    @Module({ controllers: [FloorController] })
    class Floor {}
    return Floor;
  }
  if (kind.includes('flask-session')) {
    // The -no-cache apps: the same interface with the verified-cookie cache off.
    const cacheOptions = kind.endsWith('-no-cache') ? { verifiedCacheBytes: 0 } : {};
    const options: SessionModuleOptions = {
      SECRET_KEY: SECRET,
      // The -no-interceptor apps: @Session() opens the session itself, no Nest interceptor pipeline.
      interceptor: !kind.endsWith('-no-interceptor'),
      ...(kind.endsWith('-redis') ? { SESSION_REDIS_URL: redisUrl!, sessionInterface: RedisSessionInterface } : {}),
      // The -flask-redis apps: Flask-Session's Redis sessions (MessagePack, Flask-Session's defaults).
      ...(kind.endsWith('-flask-redis') ? { sessionInterface: FlaskSessionRedisInterface } : {}),
      ...(kind.includes('-cookie') ? { sessionInterface: new SecureCookieSessionInterface(cacheOptions) } : {}),
      ...(kind.includes('-encrypted') ? { sessionInterface: new EncryptedCookieSessionInterface(cacheOptions) } : {}),
    };
    @Module({ imports: [SessionModule.forRoot(options)], controllers: [FlaskSessionController] })
    class Flask {}
    return Flask;
  }
  @Module({ controllers: [RequestSessionController] })
  class WithRequestSession {}
  return WithRequestSession;
}

/** What the parent may ask a server for besides CPU time. */
interface BenchApp {
  server: Server;
  /** `count` distinct login sessions as `name=value` cookies this app accepts; null for the neighbours. */
  makeCookies(count: number): Promise<string[] | null>;
  /** The verified-cookie cache's counters, or null when the app has none. */
  cacheStats(): { hits: number; misses: number } | null;
}

type AppLike = { get<T>(token: unknown): T };

function benchApp(kind: ServerKind, app: AppLike, server: Server): BenchApp {
  const cookieInterface = (): { iface: CookieSessionInterface; config: SessionConfig } | null => {
    if (!kind.includes('flask-session')) return null;
    const iface = app.get<SessionInterface>(SessionInterface);
    if (!(iface instanceof CookieSessionInterface)) return null;
    return { iface, config: app.get<SessionConfig>(SESSION_CONFIG) };
  };
  return {
    server,
    async makeCookies(count) {
      const sessions = Array.from({ length: count }, (_, i) => login(i + 1));
      if (kind.endsWith('-floor')) return sessions.map((data) => `session=${floor.dump(data)}`);
      const cookie = cookieInterface();
      if (!cookie) return null;
      return sessions.map((data) => `session=${cookie.iface.dumpCookieValue(cookie.config, data)}`);
    },
    cacheStats() {
      const cookie = cookieInterface();
      return cookie && cookie.iface.verifiedCacheBytes > 0 ? { ...cookie.iface.verifiedCacheStats } : null;
    },
  };
}

async function expressApp(kind: ServerKind, redisUrl: string | undefined): Promise<BenchApp> {
  const app = await NestFactory.create(moduleFor(kind, redisUrl), { logger: false });
  if (kind === 'nest-floor') app.use(floor.expressMiddleware());
  if (kind === 'nest-express-session' || kind === 'nest-express-session-redis') {
    const { default: session } = await import('express-session');
    let store;
    if (kind === 'nest-express-session-redis') {
      const { RedisStore } = await import('connect-redis');
      store = new RedisStore({ client: new Redis(redisUrl!) });
    }
    // The configuration Nest's documentation shows.
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, store }));
  }
  if (kind === 'nest-cookie-session') {
    // Nest's documentation recipe for cookie sessions, as middleware inside Nest.
    const { default: cookieSession } = await import('cookie-session');
    app.use(cookieSession({ name: 'session', keys: [SECRET] }));
  }
  await app.init();
  return benchApp(kind, app, app.getHttpServer() as Server);
}

async function fastifyApp(kind: ServerKind, redisUrl: string | undefined): Promise<BenchApp> {
  const app = await NestFactory.create<NestFastifyApplication>(moduleFor(kind, redisUrl), new FastifyAdapter(), {
    logger: false,
  });
  if (kind === 'fastify-nest-secure-session') {
    // What a Nest-on-Fastify user picks today (Nest's documentation recipe).
    const { default: secureSession } = await import('@fastify/secure-session');
    await app.register(secureSession, {
      key: Buffer.from(SECRET.padEnd(32, '!').slice(0, 32)),
      cookie: { path: '/', httpOnly: true },
    });
  }
  if (kind === 'fastify-nest-floor') app.getHttpAdapter().getInstance().addHook('onSend', floor.fastifyOnSend());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return benchApp(kind, app, app.getHttpServer() as Server);
}

async function main(): Promise<void> {
  const [kind, portText, redisUrl] = process.argv.slice(2) as [ServerKind, string, string | undefined];
  if (!SERVER_KINDS.includes(kind)) throw new Error(`unknown server kind ${kind}`);
  const bench = kind.startsWith('fastify-') ? await fastifyApp(kind, redisUrl) : await expressApp(kind, redisUrl);
  const { server } = bench;
  let requests = 0;
  server.on('request', () => {
    requests += 1;
  });
  server.keepAliveTimeout = 60000;
  await new Promise<void>((resolve) => server.listen(Number(portText), '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message === 'stats') process.send?.({ cpu: process.cpuUsage(), requests });
    if (message === 'cache') process.send?.({ cache: bench.cacheStats() });
    if (typeof message === 'string' && message.startsWith('cookies:')) {
      void bench.makeCookies(Number(message.slice('cookies:'.length))).then((cookies) => process.send?.({ cookies }));
    }
    if (message === 'heap') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ heapUsed: process.memoryUsage().heapUsed });
    }
  });
  process.send?.('ready');
}

if (process.argv[1]?.endsWith('server.js')) {
  process.on('SIGINT', () => process.exit(0));
  await main();
}
