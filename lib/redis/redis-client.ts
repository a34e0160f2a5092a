import type { RedisTarget } from '../config/redis-topology.config.js';

export type { RedisTarget };

/**
 * The few Redis commands the session interface uses, each on a single key (so a Redis Cluster
 * never sees a cross-slot command). An ioredis `Redis` (standalone or Sentinel-backed) or
 * `Cluster` client fits it, and so does any client with the same promise-returning methods.
 */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  /** `SET key value EX seconds`: stores a session under a new id. */
  set(key: string, value: string | Buffer, mode: 'EX', seconds: number): Promise<unknown>;
  /** `SET key value EX seconds XX`: rewrites a session only if it still exists; null when it does not. */
  set(key: string, value: string | Buffer, mode: 'EX', seconds: number, condition: 'XX'): Promise<'OK' | null>;
  /** 1 when the key exists (its TTL is set), 0 when it does not. */
  expire(key: string, seconds: number): Promise<number>;
  del(key: string): Promise<unknown>;
  quit(): Promise<unknown>;
}

export interface RedisConnectionOptions {
  /** Milliseconds a command may take before the request fails with 503. @default 2000 */
  commandTimeout: number;
  /**
   * Told about the connection: `error` for each failed (re)connection attempt or connection
   * error (ioredis' `error` event, which without a listener prints `[ioredis] Unhandled error
   * event` on every attempt), `ready` once commands can run again.
   */
  onConnectionEvent?: (event: 'error' | 'ready', error?: Error) => void;
}

/** The events of an ioredis client the module listens to. */
interface EventSource {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/** Always listens to `error` (an outage must not print ioredis' unhandled-error line). */
function watchConnection<C extends EventSource>(client: C, onEvent: RedisConnectionOptions['onConnectionEvent']): C {
  client.on('error', (error) => onEvent?.('error', error));
  client.on('ready', () => onEvent?.('ready'));
  return client;
}

/** Reconnect in the background, backing off to one attempt every 2 s. */
const backOff = (attempt: number): number => Math.min(attempt * 100, 2000);

/**
 * Creates an ioredis client for a URL, a Redis Cluster or a Sentinel-managed master; ioredis is
 * an optional peer, loaded only here. Every client fails a command fast while its server is
 * unreachable (the request answers 503) and finds the new master by itself after a failover.
 */
export async function connectRedis(
  target: string | RedisTarget,
  { commandTimeout, onConnectionEvent }: RedisConnectionOptions,
): Promise<RedisClientLike> {
  let ioredis: Pick<typeof import('ioredis'), 'Redis' | 'Cluster'>;
  try {
    const { Redis, Cluster } = await import('ioredis');
    ioredis = { Redis, Cluster };
  } catch (error) {
    throw new Error('RedisSessionInterface needs the ioredis package: npm install ioredis', { cause: error });
  }
  const node = {
    commandTimeout,
    connectTimeout: commandTimeout,
    // Fail a command fast while disconnected instead of retrying it for ever...
    maxRetriesPerRequest: 1,
    // ...but keep reconnecting in the background, so the app recovers when Redis is back.
    retryStrategy: backOff,
  };
  const resolved = typeof target === 'string' ? { url: target } : target;
  if ('clusterNodes' in resolved) {
    const cluster = new ioredis.Cluster(
      resolved.clusterNodes.map(({ host, port }) => ({ host, port })),
      {
        redisOptions: node,
        clusterRetryStrategy: backOff,
        // A paused master keeps its TCP connection open, so no error tells the client that a
        // replica took over: ask the cluster for its slot map every second instead.
        slotsRefreshInterval: 1000,
        slotsRefreshTimeout: Math.min(commandTimeout, 1000),
      },
    );
    return watchConnection(cluster, onConnectionEvent);
  }
  if ('sentinels' in resolved) {
    const client = new ioredis.Redis({
      ...node,
      sentinels: resolved.sentinels.map(({ host, port }) => ({ host, port })),
      name: resolved.sentinelMaster,
      sentinelCommandTimeout: commandTimeout,
      sentinelRetryStrategy: backOff,
      // Reconnect to the new master as soon as the sentinels announce a failover (+switch-master)...
      failoverDetector: true,
      // ...and whenever the server we talk to has become a replica (an old master that came back).
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    });
    // ioredis' quit() leaves the failover detector's sentinel subscriptions open, and a later
    // disconnect() waits on the closed stream: disconnect() alone closes everything at once.
    watchConnection(client, onConnectionEvent);
    return Object.assign(client, {
      quit: async (): Promise<'OK'> => {
        client.disconnect();
        return 'OK';
      },
    });
  }
  return watchConnection(new ioredis.Redis(resolved.url, { ...node, lazyConnect: false }), onConnectionEvent);
}
