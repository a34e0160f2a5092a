import type { IncomingMessage } from 'node:http';
import type { SessionRuntime } from '../http/session-context.js';

type UpgradeListener = (request: IncomingMessage, socket: object) => void;

/** The part of a Node HTTP server the handshake registry uses. */
export interface HttpServerLike {
  listenerCount(event: string): number;
  prependListener(event: 'upgrade', listener: UpgradeListener): unknown;
  on(event: 'newListener', listener: (event: string | symbol) => void): unknown;
}

/** The upgrade request of each WebSocket connection, by its TCP socket (`ws` keeps the socket, not the request). */
const upgradeRequests = new WeakMap<object, IncomingMessage>();
/** The runtime of the SessionModule bound to each HTTP server. */
const runtimes = new WeakMap<object, SessionRuntime>();
/** The runtime bound last: for gateways on a port of their own, whose server no module is bound to. */
let latestRuntime: SessionRuntime | undefined;
const watchedServers = new WeakSet<object>();

const rememberUpgrade: UpgradeListener = (request, socket) => {
  upgradeRequests.set(socket, request);
};

function isHttpServer(value: unknown): value is HttpServerLike {
  const server = value as Partial<HttpServerLike> | null | undefined;
  return typeof server?.prependListener === 'function' && typeof server.listenerCount === 'function';
}

/**
 * Lets WebSocket gateways on this server find the handshake request of each connection. The
 * upgrade listener is added only next to another one (a `ws` gateway's): an `upgrade` listener
 * changes how Node answers upgrade requests nobody else handles.
 */
export function bindHandshakes(server: unknown, runtime: SessionRuntime): void {
  latestRuntime = runtime;
  if (!isHttpServer(server)) return;
  runtimes.set(server, runtime);
  if (watchedServers.has(server)) return;
  watchedServers.add(server);
  if (server.listenerCount('upgrade') > 0) {
    server.prependListener('upgrade', rememberUpgrade);
    return;
  }
  let added = false;
  server.on('newListener', (event) => {
    if (event !== 'upgrade' || added) return;
    added = true;
    server.prependListener('upgrade', rememberUpgrade);
  });
}

/** A socket.io `Socket`: the handshake request is public, as `socket.request`. */
interface SocketIoClientLike {
  readonly request: IncomingMessage;
  readonly handshake: object;
}

/** A `ws` `WebSocket` on the server side: its TCP socket, which `ws` keeps as `_socket` (the request it does not keep). */
interface WsClientLike {
  readonly readyState: number;
  readonly _socket?: object | null;
  send(data: unknown): void;
}

function isSocketIoClient(value: object): value is SocketIoClientLike {
  const client = value as Partial<SocketIoClientLike>;
  return typeof client.handshake === 'object' && typeof client.request?.headers === 'object';
}

function isWsClient(value: object): value is WsClientLike {
  const client = value as Partial<WsClientLike>;
  return typeof client.readyState === 'number' && typeof client.send === 'function';
}

/** True for the client object a gateway gets (`@ConnectedSocket()`): a socket.io `Socket` or a `ws` `WebSocket`. */
export function isWebSocketClient(value: object): boolean {
  return isSocketIoClient(value) || isWsClient(value);
}

/** Why a connection's handshake request cannot be found, and what to do. */
export class HandshakeNotFoundError extends Error {
  override readonly name = 'HandshakeNotFoundError';

  constructor() {
    super(
      'No session for this WebSocket connection: its handshake request is unknown. With @nestjs/platform-ws the gateway must ' +
        "share the application's HTTP server (no port of its own in @WebSocketGateway()), so the session module sees the " +
        'upgrade request. (socket.io keeps the handshake request itself, so its gateways are not affected.)',
    );
  }
}

/** The HTTP request that opened a gateway client's connection, whose cookies carry its session. */
export function handshakeRequestOf(client: object): IncomingMessage {
  if (isSocketIoClient(client)) return client.request;
  const socket = isWsClient(client) ? client._socket : undefined;
  const request = socket ? upgradeRequests.get(socket) : undefined;
  if (!request) throw new HandshakeNotFoundError();
  return request;
}

/**
 * The session runtime for a handshake request: that of its server's module, else (unless
 * `strict`) the one bound last, for a gateway on a port of its own.
 */
export function handshakeRuntimeOf(request: IncomingMessage, strict = false): SessionRuntime | undefined {
  const server = (request.socket as { server?: object } | null | undefined)?.server;
  const runtime = server ? runtimes.get(server) : undefined;
  return runtime ?? (strict ? undefined : latestRuntime);
}

/** True for a Node request that is a WebSocket handshake or came through no platform hook (socket.io's). */
export function isNodeRequest(value: object): value is IncomingMessage {
  const request = value as Partial<IncomingMessage>;
  return (
    typeof request.headers === 'object' && typeof request.socket === 'object' && typeof request.method === 'string'
  );
}
