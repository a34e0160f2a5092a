/**
 * One benchmark server per process: `node .bench-dist/bench/server.js <kind> <port> [redisUrl]`.
 * Every kind serves `GET /hit` (read the counter, increment it, return it: the session is saved
 * and its cookie re-sent) and `GET /read` (read one value: no Set-Cookie). The parent asks for
 * `{ cpu, requests }` over IPC to compute CPU time per request inside the server.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { RedisSessionInterface, SecureCookieSession, Session, SessionModule } from '../lib/index.js';

export const SERVER_KINDS = ['nest-bare', 'nest-flask-session-cookie', 'nest-flask-session-cookie-no-interceptor', 'nest-flask-session-redis', 'nest-express-session', 'nest-express-session-redis', 'express-cookie-session'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
const SECRET = 'benchmark secret key, 32 bytes long!';

type Counter = { n?: number; user?: string };

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
    return 'alice';
  }
}

@Controller()
class FlaskSessionController {
  @Get('/hit')
  hit(@Session() session: SecureCookieSession<Counter>) {
    const n = (session.get('n') ?? 0) + 1;
    session.set('n', n);
    return String(n);
  }
  @Get('/read')
  read(@Session('user') user?: string) {
    return user ?? '';
  }
}

@Controller()
class ExpressSessionController {
  @Get('/hit')
  hit(@Req() req: { session: Counter }) {
    req.session.n = (req.session.n ?? 0) + 1;
    return String(req.session.n);
  }
  @Get('/read')
  read(@Req() req: { session: Counter }) {
    return req.session.user ?? '';
  }
}

async function nestApp(kind: ServerKind, redisUrl: string | undefined): Promise<Server> {
  let module: new () => object;
  if (kind === 'nest-bare') {
    @Module({ controllers: [BareController] })
    class Bare {}
    module = Bare;
  } else if (kind.startsWith('nest-flask-session')) {
    const redis = kind === 'nest-flask-session-redis';
    // The -no-interceptor app shows what Nest's interceptor pipeline costs: @Session() opens the session itself.
    const interceptor = kind !== 'nest-flask-session-cookie-no-interceptor';
    @Module({
      imports: [SessionModule.forRoot({ SECRET_KEY: SECRET, interceptor, ...(redis ? { SESSION_REDIS_URL: redisUrl!, sessionInterface: RedisSessionInterface } : {}) })],
      controllers: [FlaskSessionController],
    })
    class Flask {}
    module = Flask;
  } else {
    @Module({ controllers: [ExpressSessionController] })
    class WithExpressSession {}
    module = WithExpressSession;
  }
  const app = await NestFactory.create(module, { logger: false });
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
  await app.init();
  return app.getHttpServer() as Server;
}

async function expressCookieSession(): Promise<Server> {
  const { default: express } = await import('express');
  const { default: cookieSession } = await import('cookie-session');
  const app = express();
  app.use(cookieSession({ name: 'session', keys: [SECRET] }));
  app.get('/hit', (req, res) => {
    const session = req.session as Counter;
    session.n = (session.n ?? 0) + 1;
    res.send(String(session.n));
  });
  app.get('/read', (req, res) => {
    res.send((req.session as Counter).user ?? '');
  });
  const { createServer } = await import('node:http');
  return createServer(app);
}

async function main(): Promise<void> {
  const [kind, portText, redisUrl] = process.argv.slice(2) as [ServerKind, string, string | undefined];
  if (!SERVER_KINDS.includes(kind)) throw new Error(`unknown server kind ${kind}`);
  const server = kind === 'express-cookie-session' ? await expressCookieSession() : await nestApp(kind, redisUrl);
  let requests = 0;
  server.on('request', () => {
    requests += 1;
  });
  server.keepAliveTimeout = 60000;
  await new Promise<void>((resolve) => server.listen(Number(portText), '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message === 'stats') process.send?.({ cpu: process.cpuUsage(), requests });
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
