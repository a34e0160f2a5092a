import type { RedisClientLike } from '../redis/redis-client.js';

/**
 * The Redis commands the Flask-Session interface uses: {@link RedisClientLike} plus ioredis'
 * `getBuffer`, since MessagePack values are bytes. An ioredis `Redis` or `Cluster` fits it.
 */
export interface FlaskSessionRedisClientLike extends RedisClientLike {
  getBuffer(key: string): Promise<Buffer | null>;
}

export function isFlaskSessionRedisClient(client: RedisClientLike): client is FlaskSessionRedisClientLike {
  return typeof (client as Partial<FlaskSessionRedisClientLike>).getBuffer === 'function';
}
