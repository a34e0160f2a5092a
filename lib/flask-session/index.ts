export { FlaskSessionRedisInterface, type FlaskSessionRedisInterfaceOptions } from './flask-session-redis.interface.js';
export { FlaskSessionRedisSession } from './flask-session-redis-session.js';
export { type FlaskSessionRedisClientLike } from './flask-session-redis-client.js';
export { MsgspecSerializer, type FlaskSessionSerializationFormat } from './msgspec-serializer.js';
