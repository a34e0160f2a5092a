/**
 * The few Redis commands the session interface uses. An ioredis `Redis` or `Cluster` client
 * fits it, and so does any client with the same promise-returning methods.
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
}

/** Creates an ioredis client for a URL; ioredis is an optional peer, loaded only here. */
export async function connectRedis(url: string, { commandTimeout }: RedisConnectionOptions): Promise<RedisClientLike> {
  let Redis: (typeof import('ioredis'))['Redis'];
  try {
    ({ Redis } = await import('ioredis'));
  } catch (error) {
    throw new Error('RedisSessionInterface needs the ioredis package: npm install ioredis', { cause: error });
  }
  return new Redis(url, {
    commandTimeout,
    connectTimeout: commandTimeout,
    // Fail a command fast while disconnected instead of retrying it for ever...
    maxRetriesPerRequest: 1,
    // ...but keep reconnecting in the background, so the app recovers when Redis is back.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
  });
}
