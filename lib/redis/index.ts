export { RedisSessionInterface, type CookieId, type RedisSessionInterfaceOptions } from './redis-session.interface.js';
export { RedisSession, type RedisSessionStore } from './redis-session.js';
export { connectRedis, type RedisClientLike, type RedisConnectionOptions, type RedisTarget } from './redis-client.js';
export type { RedisNodeAddress } from '../config/redis-node-address.js';
