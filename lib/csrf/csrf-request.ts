import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The parts of an Express request, a Fastify request or a Node `IncomingMessage` CSRF reads. */
interface PlatformRequest {
  method?: string;
  headers?: IncomingHttpHeaders;
  body?: unknown;
  raw?: IncomingMessage;
}

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function first(value: unknown): string | undefined {
  const item = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof item === 'string' ? item : undefined;
}

/** The request's method, in upper case. */
export function requestMethod(request: object): string {
  const req = request as PlatformRequest;
  return (req.method ?? req.raw?.method ?? 'GET').toUpperCase();
}

/** A request header (the first value of a repeated one). */
export function requestHeader(request: object, name: string): string | undefined {
  const req = request as PlatformRequest;
  return first((req.headers ?? req.raw?.headers ?? {})[name.toLowerCase()]);
}

/**
 * Flask-WTF's `_get_csrf_token`: the form field (a form body only, as `request.form`), then any
 * form field whose name ends with it (a prefixed form), then each header in order; the first
 * non-empty value.
 */
export function findCsrfToken(request: object, fieldName: string, headers: readonly string[]): string | undefined {
  const body = (request as PlatformRequest).body;
  const isForm = FORM_TYPES.test(requestHeader(request, 'content-type') ?? '');
  if (isForm && body !== null && typeof body === 'object') {
    const form = body as Record<string, unknown>;
    const direct = first(form[fieldName]);
    if (direct) return direct;
    for (const [key, value] of Object.entries(form)) {
      const token = key.endsWith(fieldName) ? first(value) : undefined;
      if (token) return token;
    }
  }
  for (const name of headers) {
    const token = requestHeader(request, name);
    if (token) return token;
  }
  return undefined;
}
