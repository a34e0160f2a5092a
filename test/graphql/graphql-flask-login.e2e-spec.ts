/**
 * Flask-Login in GraphQL resolvers: `@LoginRequired()` on a query and `loginUser()` from a
 * mutation work on the HTTP request behind the operation (a resolver's `switchToHttp()` gives
 * its root object, which is not a request), with Apollo on Express and Mercurius on Fastify.
 */
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Context, GraphQLModule, Mutation, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { CurrentUser, LoginManager, LoginModule, LoginRequired, UserLoader } from 'nest-flask-session/flask-login';
import { CookieJar } from '../support/cookie-jar.js';
import { createApp, type Platform } from '../support/create-app.js';

const SECRET_KEY = 'graphql flask-login key of decent length';

interface User {
  id: string;
}

@Injectable()
class Users extends UserLoader<User> {
  loadUser(userId: string): User {
    return { id: userId };
  }

  getId(user: User): string {
    return user.id;
  }
}

@Resolver()
class AccountResolver {
  constructor(private readonly login: LoginManager<User>) {}

  @Mutation(() => Boolean)
  async logIn(@Context() context: { req?: object; request?: object }): Promise<boolean> {
    await this.login.loginUser((context.req ?? context.request)!, { id: 'alice' });
    return true;
  }

  @Query(() => String)
  @LoginRequired()
  me(@CurrentUser() user: User | null): string {
    return user?.id ?? 'nobody';
  }
}

const DRIVERS: Array<[Platform, 'apollo' | 'mercurius']> = [
  ['express', 'apollo'],
  ['fastify', 'mercurius'],
];

describe.each(DRIVERS)('Flask-Login in GraphQL resolvers on %s with %s', (platform, driver) => {
  let app: INestApplication;
  let jar: CookieJar;

  beforeEach(async () => {
    const graphql =
      driver === 'mercurius'
        ? GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true })
        : GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true });
    app = await createApp(
      { SECRET_KEY },
      { imports: [graphql, LoginModule.forRoot({ userLoader: Users })], providers: [AccountResolver] },
      undefined,
      platform,
    );
    jar = await CookieJar.forApp(app);
  });

  afterEach(async () => {
    await app.close();
  });

  async function graphql(query: string): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }> {
    const response = await jar.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  }

  it('refuses an anonymous query with Unauthorized (never an internal error), then serves it after a login mutation', async () => {
    const anonymous = await graphql('{ me }');
    expect(JSON.stringify(anonymous.errors)).toMatch(/Unauthorized/i);
    expect(JSON.stringify(anonymous.errors)).not.toMatch(/INTERNAL_SERVER_ERROR|Cannot read properties/);
    expect((await graphql('mutation { logIn }')).data).toEqual({ logIn: true });
    expect((await graphql('{ me }')).data).toEqual({ me: 'alice' });
  });
});
