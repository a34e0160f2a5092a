import type { RedisClientLike } from '../../lib/redis/index.js';

/** An in-memory {@link RedisClientLike} with Redis's answers (TTLs are recorded, not enforced). */
export class MemoryRedis implements RedisClientLike {
  readonly values = new Map<string, string>();
  readonly ttls = new Map<string, number>();

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string, mode: 'EX', seconds: number, condition: 'XX'): Promise<'OK' | null>;
  async set(key: string, value: string, _mode: 'EX', seconds: number, condition?: 'XX'): Promise<'OK' | null> {
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
