/**
 * Where `@Session()` and `getSession()` look for the session in each kind of Nest execution
 * context: a resolver's GraphQL context (its `req`), and no session at all for a microservice
 * handler, with an error that says why.
 */
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { getSession, SessionOutsideHttpError } from '../../lib/index.js';
import { graphqlRequestOf, requestOfGraphqlContext } from '../../lib/contexts/index.js';

function contextOf(type: string, args: unknown[]): ExecutionContextHost {
  const host = new ExecutionContextHost(args);
  host.setType(type);
  return host;
}

describe('a microservice handler', () => {
  it('has no session: getSession() says the session is an HTTP concept', async () => {
    const rpc = contextOf('rpc', [{ pattern: 'sum' }, {}]);
    const error = await getSession(rpc).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionOutsideHttpError);
    expect((error as Error).message).toMatch(
      /^The session is an HTTP concept: .* this 'rpc' handler has no HTTP request/,
    );
    expect((error as Error).message).toContain('pass what the handler needs in the message itself');
  });
});

describe('a GraphQL resolver', () => {
  it('finds the HTTP request in the GraphQL context, the third argument of a resolver', () => {
    const req = { headers: {} };
    expect(graphqlRequestOf(contextOf('graphql', [undefined, {}, { req }, {}]))).toBe(req);
    expect(graphqlRequestOf(contextOf('graphql', [undefined, {}, { request: req }, {}]))).toBe(req);
  });

  it('says what is wrong when the GraphQL context has no request', () => {
    expect(() => graphqlRequestOf(contextOf('graphql', [undefined, {}, { user: 1 }, {}]))).toThrow(
      /its GraphQL context has no `req`/,
    );
  });

  it('takes a GraphQL context object, never a request, for one', () => {
    const req = { headers: {} };
    expect(requestOfGraphqlContext({ req })).toBe(req);
    expect(requestOfGraphqlContext(req)).toBeUndefined();
    expect(requestOfGraphqlContext({ req: 'not a request' })).toBeUndefined();
    expect(requestOfGraphqlContext(null)).toBeUndefined();
  });
});
