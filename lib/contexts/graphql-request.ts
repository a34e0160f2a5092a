import type { ArgumentsHost } from '@nestjs/common';

/** The part of a GraphQL context object this library reads: the HTTP request Nest's drivers put there. */
interface GraphqlContextLike {
  req?: unknown;
  request?: unknown;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * The HTTP request of a GraphQL context object (`@Context()`): `req`, which `@nestjs/apollo` and
 * `@nestjs/mercurius` always set (Express's `req` with Apollo on Express, the Fastify request
 * otherwise), or `request` for a context an app built itself. Undefined for anything else.
 */
export function requestOfGraphqlContext(value: unknown): object | undefined {
  if (!isObject(value) || 'headers' in value) return undefined;
  const { req, request } = value as GraphqlContextLike;
  if (isObject(req)) return req;
  return isObject(request) ? request : undefined;
}

/**
 * The HTTP request behind a resolver's execution context. A GraphQL resolver gets
 * `(root, args, context, info)`, so the request is in the third argument, not the first one
 * `switchToHttp().getRequest()` would answer.
 */
export function graphqlRequestOf(host: ArgumentsHost): object {
  const request = requestOfGraphqlContext(host.getArgByIndex<unknown>(2));
  if (request) return request;
  throw new Error(
    'No session for this GraphQL resolver: its GraphQL context has no `req`. @nestjs/apollo and @nestjs/mercurius ' +
      'put the HTTP request there unless a `context` factory returns an object with another `req`; keep `req` the request.',
  );
}
