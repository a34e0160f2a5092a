import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';

/** What a gateway answered a message: the `data` of its reply, or the message of the `exception` Nest sent. */
export type GatewayReply = { data: unknown } | { exception: string };

/** A real client of a Nest gateway, one message at a time. */
export interface GatewayClient {
  call(event: string, data?: unknown): Promise<GatewayReply>;
  close(): void;
}

export const GATEWAY_ADAPTERS = ['ws', 'socket.io'] as const;
export type GatewayAdapter = (typeof GATEWAY_ADAPTERS)[number];

function exceptionMessage(payload: unknown): string {
  const { message } = (payload ?? {}) as { message?: unknown };
  return typeof message === 'string' ? message : JSON.stringify(payload);
}

/** A `ws` client (for @nestjs/platform-ws): `{ event, data }` frames both ways. */
async function connectWs(baseUrl: string, path: string, cookie: string | undefined): Promise<GatewayClient> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { headers: cookie ? { cookie } : {} });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`connection refused: ${response.statusCode}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
  return {
    call: (event, data) =>
      new Promise<GatewayReply>((resolve, reject) => {
        const onMessage = (raw: Buffer) => {
          const frame = JSON.parse(raw.toString()) as { event: string; data: unknown };
          if (frame.event !== event && frame.event !== 'exception') return;
          socket.off('message', onMessage);
          clearTimeout(timer);
          resolve(frame.event === 'exception' ? { exception: exceptionMessage(frame.data) } : { data: frame.data });
        };
        const timer = setTimeout(() => {
          socket.off('message', onMessage);
          reject(new Error(`no reply to ${event}`));
        }, 5000);
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ event, data }));
      }),
    close: () => socket.close(),
  };
}

/** A socket.io client (for @nestjs/platform-socket.io): replies come as events or acknowledgements, errors as `exception`. */
async function connectSocketIo(baseUrl: string, path: string, cookie: string | undefined): Promise<GatewayClient> {
  const socket: Socket = io(baseUrl, {
    path: path === '/' ? '/socket.io' : path,
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(`connection refused: ${error.message}`));
    });
  });
  return {
    call: (event, data) =>
      new Promise<GatewayReply>((resolve, reject) => {
        const settle = (reply: GatewayReply) => {
          clearTimeout(timer);
          socket.off('exception', onException);
          socket.off(event, onReply);
          resolve(reply);
        };
        const onException = (payload: unknown) => settle({ exception: exceptionMessage(payload) });
        const onReply = (payload: unknown) => settle({ data: payload });
        const timer = setTimeout(() => {
          socket.off('exception', onException);
          socket.off(event, onReply);
          reject(new Error(`no reply to ${event}`));
        }, 5000);
        socket.once('exception', onException);
        // A handler's `{ event, data }` comes back as that event; anything else as the acknowledgement.
        socket.once(event, onReply);
        socket.emit(event, data, (reply: unknown) => settle({ data: reply }));
      }),
    close: () => socket.close(),
  };
}

/**
 * Connects to a gateway of the app at `baseUrl` (`http://127.0.0.1:port`), sending `cookie` with
 * the handshake; `path` is the gateway's (`ws`'s URL path, socket.io's engine path).
 */
export function connectGateway(
  adapter: GatewayAdapter,
  baseUrl: string,
  options: { path?: string; cookie?: string } = {},
): Promise<GatewayClient> {
  const path = options.path ?? '/';
  return adapter === 'ws' ? connectWs(baseUrl, path, options.cookie) : connectSocketIo(baseUrl, path, options.cookie);
}
