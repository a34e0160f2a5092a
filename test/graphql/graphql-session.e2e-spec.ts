/**
 * The session in GraphQL resolvers, with the real @nestjs/graphql drivers over HTTP on
 * 127.0.0.1: Apollo on Express, Mercurius on Fastify and Apollo on Fastify, for every session
 * interface. `@Session()`, `@Session('key')`, `getSession(executionContext)` in a guard and
 * `getSession(graphqlContext)` in a resolver; a mutation's response sets the cookie; one HTTP
 * request (several resolvers, or a batch of operations) opens the session once and saves it once.
 */
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, UseGuards, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  GraphQLModule,
  Int,
  Mutation,
  ObjectType,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { getSession, Session, type SecureCookieSession, type SessionInterface } from 'nest-flask-session';
import { CookieJar } from '../support/cookie-jar.js';
import { createApp, type Platform } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';
import {
  closeSessionInterface,
  isStoreKind,
  SESSION_KINDS,
  sessionInterfaceOf,
  type SessionKind,
} from '../support/session-kinds.js';

const SECRET_KEY = 'graphql session key';

interface AccountData extends Record<string, unknown> {
  user?: string;
  visits?: number;
}

@ObjectType()
class Me {
  @Field(() => String, { nullable: true })
  name?: string;
}

@Injectable()
class LoggedInGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession<AccountData>(context);
    return session.get('user') !== undefined;
  }
}

@Resolver(() => Me)
class AccountResolver {
  @Mutation(() => Boolean)
  login(
    @Args('name', { type: () => String }) name: string,
    @Session() session: SecureCookieSession<AccountData>,
  ): boolean {
    session.set('user', name);
    return true;
  }

  @Mutation(() => Boolean)
  logout(@Session() session: SecureCookieSession<AccountData>): boolean {
    session.clear();
    return true;
  }

  @Query(() => String, { nullable: true })
  user(@Session('user') user?: string): string | null {
    return user ?? null;
  }

  @Query(() => String, { nullable: true })
  async userFromContext(@Context() context: object): Promise<string | null> {
    const session = await getSession<AccountData>(context);
    return session.get('user') ?? null;
  }

  @Query(() => String)
  @UseGuards(LoggedInGuard)
  secret(@Session('user') user: string): string {
    return `for ${user} only`;
  }

  @Query(() => Me)
  me(@Session('user') user?: string): Me {
    return { name: user };
  }

  /** A field resolver that writes: counts how often it ran, in the session. */
  @ResolveField(() => Int)
  visits(@Session() session: SecureCookieSession<AccountData>): number {
    const visits = (session.get('visits') ?? 0) + 1;
    session.set('visits', visits);
    return visits;
  }
}

const DRIVERS: Array<[Platform, 'apollo' | 'mercurius']> = [
  ['express', 'apollo'],
  ['fastify', 'mercurius'],
  ['fastify', 'apollo'],
];

function graphqlModule(driver: 'apollo' | 'mercurius') {
  return driver === 'mercurius'
    ? GraphQLModule.forRoot<MercuriusDriverConfig>({
        driver: MercuriusDriver,
        autoSchemaFile: true,
        allowBatchedQueries: true,
      })
    : GraphQLModule.forRoot<ApolloDriverConfig>({
        driver: ApolloDriver,
        autoSchemaFile: true,
        allowBatchedHttpRequests: true,
      });
}

/** How often the interface opened and saved a session: wraps the two methods of this instance. */
function countCalls(sessionInterface: SessionInterface): { open: number; save: number } {
  const counts = { open: 0, save: 0 };
  const open = sessionInterface.openSession.bind(sessionInterface);
  const save = sessionInterface.saveSession.bind(sessionInterface);
  sessionInterface.openSession = (...args) => {
    counts.open++;
    return open(...args);
  };
  sessionInterface.saveSession = (...args) => {
    counts.save++;
    return save(...args);
  };
  return counts;
}

interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string }>;
}

function suite(kind: SessionKind, redisUrl: () => string): void {
  describe.each(DRIVERS)('on %s with %s', (platform, driver) => {
    let app: INestApplication;
    let sessionInterface: SessionInterface;
    let jar: CookieJar;
    let counts: { open: number; save: number };

    beforeEach(async () => {
      sessionInterface = sessionInterfaceOf(kind, redisUrl());
      counts = countCalls(sessionInterface);
      app = await createApp(
        { SECRET_KEY, sessionInterface },
        { imports: [graphqlModule(driver)], providers: [AccountResolver, LoggedInGuard] },
        undefined,
        platform,
      );
      jar = await CookieJar.forApp(app);
    });

    afterEach(async () => {
      await app.close();
      await closeSessionInterface(sessionInterface);
    });

    async function post(body: unknown): Promise<{ json: unknown; setCookies: string[] }> {
      const response = await jar.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return { json: await response.json(), setCookies: response.headers.getSetCookie() };
    }

    async function graphql(query: string, variables?: Record<string, unknown>) {
      const { json, setCookies } = await post({ query, variables });
      return { ...(json as GraphqlResult), setCookies };
    }

    it('logs in by mutation, whose response sets the cookie; a query then reads the session through the jar', async () => {
      expect((await graphql('{ user }')).data).toEqual({ user: null });
      expect(jar.cookies.has('session')).toBe(false);

      const login = await graphql('mutation Login($name: String!) { login(name: $name) }', { name: 'alice' });
      expect(login.data).toEqual({ login: true });
      expect(login.setCookies.filter((line) => line.startsWith('session='))).toHaveLength(1);
      expect(jar.cookies.has('session')).toBe(true);

      expect((await graphql('{ user }')).data).toEqual({ user: 'alice' });
      expect((await graphql('{ userFromContext }')).data).toEqual({ userFromContext: 'alice' });
    });

    it('saves what a field resolver writes', async () => {
      await graphql('mutation { login(name: "bob") }');
      const first = await graphql('{ me { name visits } }');
      expect(first.data).toEqual({ me: { name: 'bob', visits: 1 } });
      if (!isStoreKind(kind)) expect(first.setCookies.some((line) => line.startsWith('session='))).toBe(true);
      expect((await graphql('{ me { visits } }')).data).toEqual({ me: { visits: 2 } });
    });

    it('opens and saves the session once for a request that runs several resolvers', async () => {
      await graphql('mutation { login(name: "carol") }');
      const before = { ...counts };
      const result = await graphql('{ user a: me { visits } b: me { visits } }');
      const data = result.data as { user: string; a: { visits: number }; b: { visits: number } };
      expect(data.user).toBe('carol');
      expect([data.a.visits, data.b.visits].sort()).toEqual([1, 2]);
      expect(counts.open - before.open).toBe(1);
      expect(counts.save - before.save).toBe(1);
      expect(result.setCookies.filter((line) => line.startsWith('session=')).length).toBeLessThanOrEqual(1);
      expect((await graphql('{ me { visits } }')).data).toEqual({ me: { visits: 3 } });
    });

    it('opens and saves the session once for a batched request', async () => {
      await graphql('mutation { login(name: "dave") }');
      const before = { ...counts };
      const { json, setCookies } = await post([{ query: '{ me { visits } }' }, { query: '{ user me { visits } }' }]);
      const results = json as GraphqlResult[];
      expect(results).toHaveLength(2);
      const visits = results.map((result) => (result.data as { me: { visits: number } }).me.visits);
      expect(visits.sort()).toEqual([1, 2]);
      expect(results[1]!.data).toMatchObject({ user: 'dave' });
      expect(counts.open - before.open).toBe(1);
      expect(counts.save - before.save).toBe(1);
      expect(setCookies.filter((line) => line.startsWith('session=')).length).toBeLessThanOrEqual(1);
      expect((await graphql('{ me { visits } }')).data).toEqual({ me: { visits: 3 } });
    });

    it('lets a guard read the session through getSession(executionContext)', async () => {
      const refused = await graphql('{ secret }');
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.message).toBe('Forbidden resource');

      await graphql('mutation { login(name: "erin") }');
      expect((await graphql('{ secret }')).data).toEqual({ secret: 'for erin only' });
    });

    it('logs out by mutation: the response deletes the cookie, and the session is gone', async () => {
      await graphql('mutation { login(name: "frank") }');
      const oldCookie = jar.cookies.get('session')!;
      const logout = await graphql('mutation { logout }');
      expect(logout.setCookies.some((line) => line.startsWith('session=;'))).toBe(true);
      expect(jar.cookies.has('session')).toBe(false);
      expect((await graphql('{ user }')).data).toEqual({ user: null });
      if (isStoreKind(kind)) {
        // The store forgot it too: the old cookie opens an empty session.
        jar.cookies.set('session', oldCookie);
        expect((await graphql('{ user }')).data).toEqual({ user: null });
      }
    });
  });
}

describe.each(SESSION_KINDS)('GraphQL resolvers with %s sessions', (kind) => {
  if (!isStoreKind(kind)) {
    suite(kind, () => '');
    return;
  }
  describeWithProgram(`against a real redis-server`, redisInstalled, 'apt-get install -y redis-server', () => {
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
