import type { Logger } from '@nestjs/common';
import { bindHandshakes } from './contexts/index.js';
import type { SessionRuntime } from './http/session-context.js';
import { bindExpress, type ExpressAppLike } from './platform/express/express.binding.js';
import { bindFastify, type FastifyInstanceLike } from './platform/fastify/fastify.binding.js';

/** What Nest's `HttpAdapterHost.httpAdapter` offers, as far as binding needs. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance(): unknown;
  getHttpServer?(): unknown;
}

/**
 * Which platforms the module bound to in this process, for error messages that say why a request
 * has no session. Process-wide by necessity: the message is built from a bare request object,
 * which reaches no Nest container.
 */
const bindings = { bound: 0, unsupported: new Set<string>() };

/** Binds sessions to the app's platform; logs and records an unsupported one. */
export function bindSessionsToPlatform(adapter: HttpAdapterLike, runtime: SessionRuntime, logger: Logger): void {
  const type = adapter.getType();
  if (type === 'express') bindExpress(adapter.getInstance() as ExpressAppLike, runtime);
  else if (type === 'fastify') bindFastify(adapter.getInstance() as FastifyInstanceLike, runtime);
  else {
    bindings.unsupported.add(type);
    logger.error(
      `SessionModule supports the Express and Fastify platforms; this app runs on '${type}', so its requests have no session.`,
    );
    return;
  }
  bindings.bound++;
  // WebSocket gateways on the app's server find the session of each connection's handshake.
  bindHandshakes(adapter.getHttpServer?.(), runtime);
}

/** Why a request has no session context, and what to do. */
export function missingContextMessage(): string {
  if (bindings.bound === 0 && bindings.unsupported.size > 0) {
    return `No session on this request: SessionModule supports the Express and Fastify platforms, and this app runs on '${[...bindings.unsupported].join("', '")}'.`;
  }
  if (bindings.bound === 0)
    return 'No session on this request: import SessionModule.forRoot() in your application module.';
  return (
    'No session on this request: it did not pass through the session hooks of an app that imports SessionModule ' +
    '(a request object from another server, or one that bypassed the platform hooks). Pass the request Nest gives ' +
    'the handler (@Req(), or the ExecutionContext).'
  );
}
