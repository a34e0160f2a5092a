import type { Redis } from 'ioredis';
import type { FlaskSessionRedisClientLike } from '../../lib/flask-session/index.js';

/** Wraps a real client and records the commands a session interface sends (`getBuffer` counts as GET). */
export function countingClient(client: Redis): FlaskSessionRedisClientLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: (key) => (calls.push('GET'), client.get(key)),
    getBuffer: (key) => (calls.push('GET'), client.getBuffer(key)),
    set: ((key: string, value: string | Buffer, mode: 'EX', seconds: number, condition?: 'XX') => (
      calls.push(condition ? `SET ${condition}` : 'SET'),
      condition ? client.set(key, value, mode, seconds, condition) : client.set(key, value, mode, seconds)
    )) as FlaskSessionRedisClientLike['set'],
    expire: (key, seconds) => (calls.push('EXPIRE'), client.expire(key, seconds)),
    del: (key) => (calls.push('DEL'), client.del(key)),
    quit: () => Promise.resolve('OK'),
  };
}
