/** SESSION_REDIS_CLUSTER_NODES, SESSION_REDIS_SENTINELS, SESSION_REDIS_SENTINEL_MASTER: parsing and start-up checks. */
import {
  createSessionConfig,
  resolveSessionConfig,
  SessionConfigError,
  resolveRedisTarget,
} from '../../lib/config/index.js';
import { RedisSessionInterface, type RedisClientLike } from '../../lib/redis/index.js';
import { SessionStoreUnavailableError } from '../../lib/sessions/index.js';
import { fakeExchange } from '../support/fake-http.js';

const SECRET_KEY = 'redis topology unit tests, a 40-byte key';
const fromEnv = (env: Record<string, string>) => resolveSessionConfig({}, (key) => env[key]);

describe('Redis deployment keys', () => {
  it('reads a comma list or a JSON list of host:port, IPv6 in brackets', () => {
    const config = fromEnv({ SESSION_REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001 ,[::1]:7002' });
    expect(config.SESSION_REDIS_CLUSTER_NODES).toEqual(['10.0.0.1:7000', 'redis-b:7001', '[::1]:7002']);
    expect(resolveRedisTarget(config)).toEqual({
      clusterNodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    const sentinel = fromEnv({
      SESSION_REDIS_SENTINELS: '["s1:26379","s2:26379"]',
      SESSION_REDIS_SENTINEL_MASTER: 'sessions',
    });
    expect(resolveRedisTarget(sentinel)).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      sentinelMaster: 'sessions',
    });
    expect(resolveRedisTarget(fromEnv({ SESSION_REDIS_URL: 'redis://r:6379' }))).toEqual({ url: 'redis://r:6379' });
    expect(resolveRedisTarget(fromEnv({}))).toBeNull();
  });

  it.each([
    [{ SESSION_REDIS_CLUSTER_NODES: '10.0.0.1' }, 'SESSION_REDIS_CLUSTER_NODES', "'10.0.0.1' is not host:port"],
    [
      { SESSION_REDIS_CLUSTER_NODES: 'a:7000,b:70000' },
      'SESSION_REDIS_CLUSTER_NODES',
      "'b:70000' has port 70000, outside 1-65535",
    ],
    [{ SESSION_REDIS_CLUSTER_NODES: 'redis://a:7000' }, 'SESSION_REDIS_CLUSTER_NODES', 'is not host:port'],
    [{ SESSION_REDIS_CLUSTER_NODES: ' , ' }, 'SESSION_REDIS_CLUSTER_NODES', 'at least one host:port'],
    [{ SESSION_REDIS_CLUSTER_NODES: '[1,2]' }, 'SESSION_REDIS_CLUSTER_NODES', 'JSON list of strings'],
    [
      { SESSION_REDIS_SENTINELS: 's:26379' },
      'SESSION_REDIS_SENTINEL_MASTER',
      'must be set with SESSION_REDIS_SENTINELS',
    ],
    [{ SESSION_REDIS_SENTINEL_MASTER: 'sessions' }, 'SESSION_REDIS_SENTINEL_MASTER', 'needs SESSION_REDIS_SENTINELS'],
    [
      { SESSION_REDIS_SENTINELS: 's:0', SESSION_REDIS_SENTINEL_MASTER: 'm' },
      'SESSION_REDIS_SENTINELS',
      'outside 1-65535',
    ],
    [
      { SESSION_REDIS_URL: 'redis://r', SESSION_REDIS_CLUSTER_NODES: 'a:1' },
      'SESSION_REDIS_CLUSTER_NODES',
      'cannot be combined with SESSION_REDIS_URL',
    ],
    [
      { SESSION_REDIS_CLUSTER_NODES: 'a:1', SESSION_REDIS_SENTINELS: 's:2', SESSION_REDIS_SENTINEL_MASTER: 'm' },
      'SESSION_REDIS_SENTINELS',
      'cannot be combined with SESSION_REDIS_CLUSTER_NODES',
    ],
  ])('fails start-up naming the key: %j', (env, key, message) => {
    let error: unknown;
    try {
      fromEnv(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).key).toBe(key);
    expect((error as SessionConfigError).message).toContain(message);
  });

  it('typed options are checked too', () => {
    expect(() => resolveSessionConfig({ SESSION_REDIS_CLUSTER_NODES: [] })).toThrow(
      'SESSION_REDIS_CLUSTER_NODES must list at least one host:port',
    );
    expect(() =>
      resolveSessionConfig({ SESSION_REDIS_SENTINELS: ['s:1'], SESSION_REDIS_SENTINEL_MASTER: ' ' }),
    ).toThrow('SESSION_REDIS_SENTINEL_MASTER must be the name of a master');
  });
});

describe('commandTimeout bounds every command, an injected client included', () => {
  it('a client that never answers gives SessionStoreUnavailableError (a 503) after commandTimeout', async () => {
    const silent = new Promise<never>(() => {});
    const client: RedisClientLike = {
      get: () => silent,
      set: (() => silent) as RedisClientLike['set'],
      expire: () => silent,
      del: () => silent,
      quit: () => silent,
    };
    const iface = new RedisSessionInterface({ client, commandTimeout: 100 });
    const config = createSessionConfig({ SECRET_KEY });
    const fresh = (await iface.openSession(config, fakeExchange().request))!;
    fresh.set('a', 1);
    const started = Date.now();
    const saving = iface.saveSession(config, fresh, fakeExchange().response);
    await expect(saving).rejects.toBeInstanceOf(SessionStoreUnavailableError);
    await expect(saving).rejects.toThrow(
      'The session store (Redis) is unavailable: writing failed (no answer within 100 ms).',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
