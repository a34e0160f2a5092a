import type { ServerResponse } from 'node:http';
import type { SessionContext } from './session-context.js';

/** Node's own `writeHead` and `end`, as a platform binding kept them before overriding. */
export interface RawWriters {
  writeHead: (this: ServerResponse, ...args: unknown[]) => unknown;
  end: (this: ServerResponse, ...args: unknown[]) => unknown;
}

/**
 * A save failed before the response's headers went out: the response becomes the save's HTTP
 * error (503 for a store outage, 500 otherwise), written with Node's own methods so no override
 * queues it behind the failed save. Headers already sent: the connection is dropped instead.
 */
export function answerSaveFailure(
  context: SessionContext,
  res: ServerResponse,
  writers: RawWriters,
  error: unknown,
): void {
  const httpError = context.toHttpError('saving', error);
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = JSON.stringify(httpError.getResponse());
  res.statusCode = httpError.getStatus();
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  writers.writeHead.call(res, res.statusCode);
  writers.end.call(res, body);
}
