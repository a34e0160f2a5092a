import type { RedisClientLike } from '../../lib/redis/index.js';

/**
 * An in-memory {@link RedisClientLike} with Redis's answers (TTLs are recorded, not enforced), and
 * ioredis' `getBuffer` for Flask-Session's binary sessions.
 */
export class MemoryRedis implements RedisClientLike {
  readonly values = new Map<string, string | Buffer>();
  readonly ttls = new Map<string, number>();

  async get(key: string): Promise<string | null> {
    const value = this.values.get(key);
    return value === undefined ? null : value.toString();
  }

  async getBuffer(key: string): Promise<Buffer | null> {
    const value = this.values.get(key);
    return value === undefined ? null : Buffer.from(value);
  }

  set(key: string, value: string | Buffer, mode: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string | Buffer, mode: 'EX', seconds: number, condition: 'XX'): Promise<'OK' | null>;
  async set(key: string, value: string | Buffer, _mode: 'EX', seconds: number, condition?: 'XX'): Promise<'OK' | null> {
    if (!(seconds > 0)) throw new Error("ERR invalid expire time in 'set' command");
    if (condition === 'XX' && !this.values.has(key)) return null;
    this.values.set(key, value);
    this.ttls.set(key, seconds);
    return 'OK';
  }

  async expire(key: string, seconds: number): Promise<number> {
    if (!this.values.has(key)) return 0;
    this.ttls.set(key, seconds);
    return 1;
  }

  async del(key: string): Promise<number> {
    this.ttls.delete(key);
    return this.values.delete(key) ? 1 : 0;
  }

  async quit(): Promise<'OK'> {
    return 'OK';
  }
}
