/**
 * The session in WebSocket gateways, with @nestjs/platform-ws and @nestjs/platform-socket.io and
 * their real clients on 127.0.0.1, on Express and Fastify, for every session interface: each
 * message reads the session of its connection's handshake afresh; cookie sessions refuse a write
 * with an error that says why, store sessions save it; a logout over HTTP reaches the open socket;
 * a handshake without a logged-in session is refused; a guard reads the session of a message.
 */
import {
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import {
  BaseWsExceptionFilter,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WsException,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import {
  getSession,
  Session,
  SessionInterceptor,
  SessionModule,
  type SecureCookieSession,
  type SessionInterface,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { CookieJar } from '../support/cookie-jar.js';
import { PLATFORMS, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { freePort } from '../support/free-port.js';
import {
  connectGateway,
  GATEWAY_ADAPTERS,
  type GatewayAdapter,
  type GatewayClient,
} from '../support/gateway-client.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';
import {
  closeSessionInterface,
  isStoreKind,
  SESSION_KINDS,
  sessionInterfaceOf,
  type SessionKind,
} from '../support/session-kinds.js';

const SECRET_KEY = 'gateway session key';

interface AccountData extends Record<string, unknown> {
  user?: string;
  note?: string;
}

type AccountSession = SecureCookieSession<AccountData>;

/**
 * Nest 11 applies no global interceptor to gateways, and its exception filter does not send to
 * native `ws` clients: there the gateways bind SessionInterceptor themselves (as the docs say),
 * and a filter sends exceptions as `{ event: 'exception' }` frames. Nest 12 needs neither.
 */
// Nest 12's filter has `emitMessage()`, which sends to native `ws` clients; Nest 11's has not.
const NEST_11 = !('emitMessage' in BaseWsExceptionFilter.prototype);
const OnNest11 = (decorator: ClassDecorator): ClassDecorator => (NEST_11 ? decorator : () => undefined);

@Catch()
class SendToWsClients extends BaseWsExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const client = host.switchToWs().getClient<{ readyState?: unknown; send?: (data: string) => void }>();
    if (typeof client.readyState !== 'number' || typeof client.send !== 'function') return super.catch(exception, host);
    const message = exception instanceof WsException ? exception.message : 'Internal server error';
    client.send(JSON.stringify({ event: 'exception', data: { status: 'error', message } }));
  }
}

@Controller()
class AccountController {
  @Get('/login/:name')
  login(@Session() session: AccountSession, @Param('name') name: string): string {
    session.set('user', name);
    return 'ok';
  }

  @Get('/login-for-a-second/:name')
  loginBriefly(@Session() session: AccountSession, @Param('name') name: string): string {
    session.permanent = true;
    session.set('user', name);
    return 'ok';
  }

  @Get('/note/:note')
  setNote(@Session() session: AccountSession, @Param('note') note: string): string {
    session.set('note', note);
    return 'ok';
  }

  @Get('/note')
  note(@Session('note') note?: string): { note: string | null } {
    return { note: note ?? null };
  }

  @Get('/logout')
  logout(@Session() session: AccountSession): string {
    session.clear();
    return 'ok';
  }
}

@Injectable()
class LoggedInGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession<AccountData>(context);
    return session.get('user') !== undefined;
  }
}

@WebSocketGateway()
@OnNest11(UseInterceptors(SessionInterceptor))
@OnNest11(UseFilters(SendToWsClients))
class ChatGateway {
  @SubscribeMessage('whoami')
  whoami(@Session('user') user?: string) {
    return { event: 'whoami', data: user ?? null };
  }

  @SubscribeMessage('greet')
  async greet(@ConnectedSocket() client: object) {
    const session = await getSession<AccountData>(client);
    return { event: 'greet', data: `Hello, ${session.get('user') ?? 'stranger'}!` };
  }

  @SubscribeMessage('note')
  note(@Session() session: AccountSession) {
    return { event: 'note', data: session.get('note') ?? null };
  }

  @SubscribeMessage('remember')
  remember(@Session() session: AccountSession, @MessageBody() note: string) {
    session.set('note', note);
    return { event: 'remember', data: 'saved' };
  }

  /** The same write through getSession(client), which finds the message the client is in. */
  @SubscribeMessage('jot')
  async jot(@ConnectedSocket() client: object, @MessageBody() note: string) {
    const session = await getSession<AccountData>(client);
    session.set('note', note);
    return { event: 'jot', data: 'saved' };
  }

  @SubscribeMessage('secret')
  @UseGuards(LoggedInGuard)
  secret(@Session('user') user: string) {
    return { event: 'secret', data: `for ${user} only` };
  }
}

/** Refuses a handshake whose session has no user: `verifyClient` for `ws`, `allowRequest` for socket.io. */
async function loggedIn(request: IncomingMessage): Promise<boolean> {
  const session = await getSession<AccountData>(request);
  return session.get('user') !== undefined;
}

@WebSocketGateway({
  path: '/members',
  verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => {
    loggedIn(info.req).then(
      (ok) => done(ok, 401),
      () => done(false, 500),
    );
  },
  allowRequest: (request: IncomingMessage, done: (error: string | null, ok: boolean) => void) => {
    loggedIn(request).then(
      (ok) => done(ok ? null : 'not logged in', ok),
      () => done('session unavailable', false),
    );
  },
})
class MembersGateway {
  @SubscribeMessage('whoami')
  whoami(@Session('user') user?: string) {
    return { event: 'whoami', data: user ?? null };
  }
}

async function startApp(
  platform: Platform,
  adapter: GatewayAdapter,
  sessionInterface: SessionInterface,
  options: SessionModuleOptions = {},
) {
  const moduleRef = await Test.createTestingModule({
    imports: [SessionModule.forRoot({ SECRET_KEY, sessionInterface, ...options })],
    controllers: [AccountController],
    providers: [ChatGateway, MembersGateway, LoggedInGuard],
  }).compile();
  const app: INestApplication =
    platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false })
      : moduleRef.createNestApplication({ logger: process.env.GW_DEBUG ? undefined : false });
  app.useWebSocketAdapter(adapter === 'ws' ? new WsAdapter(app) : new IoAdapter(app));
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

function suite(kind: SessionKind, redisUrl: () => string): void {
  const combinations = PLATFORMS.flatMap((platform) =>
    GATEWAY_ADAPTERS.map((adapter): [Platform, GatewayAdapter] => [platform, adapter]),
  );
  describe.each(combinations)('on %s with %s', (platform, adapter) => {
    let app: INestApplication;
    let sessionInterface: SessionInterface;
    let jar: CookieJar;
    const clients: GatewayClient[] = [];

    beforeEach(async () => {
      sessionInterface = sessionInterfaceOf(kind, redisUrl());
      app = await startApp(platform, adapter, sessionInterface);
      jar = await CookieJar.forApp(app);
    });

    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await app.close();
      await closeSessionInterface(sessionInterface);
    });

    async function connect(path?: string): Promise<GatewayClient> {
      const client = await connectGateway(adapter, jar.baseUrl, { path, cookie: jar.header || undefined });
      clients.push(client);
      return client;
    }

    async function loginOverHttp(name: string): Promise<void> {
      expect((await jar.fetch(`/login/${name}`)).status).toBe(200);
      expect(jar.cookies.has('session')).toBe(true);
    }

    it('gives every message the session of the connection’s handshake', async () => {
      const anonymous = await connect();
      expect(await anonymous.call('whoami')).toEqual({ data: null });
      expect(await anonymous.call('greet')).toEqual({ data: 'Hello, stranger!' });

      await loginOverHttp('alice');
      const client = await connect();
      expect(await client.call('whoami')).toEqual({ data: 'alice' });
      expect(await client.call('greet')).toEqual({ data: 'Hello, alice!' });
      expect(await client.call('whoami')).toEqual({ data: 'alice' });
    });

    it('lets a guard refuse a message by the session, and a handshake without a logged-in session', async () => {
      const anonymous = await connect();
      expect(await anonymous.call('secret')).toEqual({ exception: 'Forbidden resource' });
      await expect(connect('/members')).rejects.toThrow(/connection refused/);

      await loginOverHttp('bob');
      const client = await connect();
      expect(await client.call('secret')).toEqual({ data: 'for bob only' });
      const member = await connect('/members');
      expect(await member.call('whoami')).toEqual({ data: 'bob' });
    });

    if (!isStoreKind(kind)) {
      it('refuses a write to a cookie session, saying why and what to do', async () => {
        await loginOverHttp('carol');
        const client = await connect();
        const reply = await client.call('remember', 'milk');
        expect(reply).toEqual({ exception: expect.stringContaining('a WebSocket message cannot set a cookie') });
        expect((reply as { exception: string }).exception).toContain('RedisSessionInterface');
        expect(await client.call('jot', 'milk')).toEqual({ exception: expect.stringContaining('cannot set a cookie') });
        expect(await (await jar.fetch('/note')).json()).toEqual({ note: null });
        // The connection keeps working.
        expect(await client.call('whoami')).toEqual({ data: 'carol' });
      });
    } else {
      it('saves a write to a store session, which HTTP requests and later messages see', async () => {
        await loginOverHttp('dave');
        const client = await connect();
        expect(await client.call('remember', 'milk')).toEqual({ data: 'saved' });
        expect(await (await jar.fetch('/note')).json()).toEqual({ note: 'milk' });
        expect(await client.call('note')).toEqual({ data: 'milk' });
        expect(await client.call('jot', 'tea')).toEqual({ data: 'saved' });
        expect(await (await jar.fetch('/note')).json()).toEqual({ note: 'tea' });
      });

      it('reads the latest stored data on every message', async () => {
        await loginOverHttp('erin');
        const client = await connect();
        expect(await client.call('note')).toEqual({ data: null });
        await jar.fetch('/note/bread');
        expect(await client.call('note')).toEqual({ data: 'bread' });
      });

      it('shows a logout over HTTP to the open socket on its next message', async () => {
        await loginOverHttp('frank');
        const client = await connect();
        expect(await client.call('whoami')).toEqual({ data: 'frank' });
        await jar.fetch('/logout');
        expect(jar.cookies.has('session')).toBe(false);
        expect(await client.call('whoami')).toEqual({ data: null });
        expect(await client.call('secret')).toEqual({ exception: 'Forbidden resource' });
        // Logged out, the connection cannot start a new session either.
        const reply = await client.call('remember', 'eggs');
        expect(reply).toEqual({ exception: expect.stringContaining('Log in over HTTP') });
      });
    }
  });
}

describe.each(SESSION_KINDS)('WebSocket gateways with %s sessions', (kind) => {
  if (!isStoreKind(kind)) {
    suite(kind, () => '');
    return;
  }
  describeWithProgram('against a real redis-server', redisInstalled, 'apt-get install -y redis-server', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });
    suite(kind, () => server.url);
  });
});

/** A permanent session of PERMANENT_SESSION_LIFETIME 1 s, expiring while its connection stays open. */
function expirySuite(kind: SessionKind, platform: Platform, adapter: GatewayAdapter, redisUrl: () => string): void {
  it(`shows an expired ${kind} session to the open socket on its next message (${platform}, ${adapter})`, async () => {
    const sessionInterface = sessionInterfaceOf(kind, redisUrl());
    const app = await startApp(platform, adapter, sessionInterface, { PERMANENT_SESSION_LIFETIME: 1 });
    let client: GatewayClient | undefined;
    try {
      const jar = await CookieJar.forApp(app);
      await jar.fetch('/login-for-a-second/grace');
      client = await connectGateway(adapter, jar.baseUrl, { cookie: jar.header });
      expect(await client.call('whoami')).toEqual({ data: 'grace' });
      // Signed cookies carry a timestamp in whole seconds: 2.2 s is past any 1 s lifetime.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect(await client.call('whoami')).toEqual({ data: null });
    } finally {
      client?.close();
      await app.close();
      await closeSessionInterface(sessionInterface);
    }
  });
}

describe('WebSocket gateways, sessions that expire', () => {
  expirySuite('signed', 'express', 'ws', () => '');
  describeWithProgram('against a real redis-server', redisInstalled, 'apt-get install -y redis-server', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });
    expirySuite('redis', 'fastify', 'socket.io', () => server.url);
  });
});

describe('a ws gateway on a port of its own', () => {
  it('cannot see the handshake, and says so to the client', async () => {
    const port = await freePort();
    @WebSocketGateway(port, { host: '127.0.0.1' })
    @OnNest11(UseInterceptors(SessionInterceptor))
    @OnNest11(UseFilters(SendToWsClients))
    class OwnPortGateway {
      @SubscribeMessage('whoami')
      whoami(@Session('user') user?: string) {
        return { event: 'whoami', data: user ?? null };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [SessionModule.forRoot({ SECRET_KEY })],
      providers: [OwnPortGateway],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.init();
    let client: GatewayClient | undefined;
    try {
      client = await connectGateway('ws', `http://127.0.0.1:${port}`);
      const reply = await client.call('whoami');
      expect(reply).toEqual({ exception: expect.stringContaining('its handshake request is unknown') });
      expect((reply as { exception: string }).exception).toContain("share the application's HTTP server");
    } finally {
      client?.close();
      await app.close();
    }
  });
});
