import type { SessionConfig } from './session-config.js';
import { SessionConfigError } from './session-config.error.js';
import { parseRedisNodeList, type RedisNodeAddress } from './redis-node-address.js';

/** Where the sessions live: one server, a Redis Cluster (seed nodes), or a master behind Sentinel. */
export type RedisTarget =
  | { url: string }
  | { clusterNodes: readonly RedisNodeAddress[] }
  | { sentinels: readonly RedisNodeAddress[]; sentinelMaster: string };

type TopologyConfig = Pick<
  SessionConfig,
  'SESSION_REDIS_URL' | 'SESSION_REDIS_CLUSTER_NODES' | 'SESSION_REDIS_SENTINELS' | 'SESSION_REDIS_SENTINEL_MASTER'
>;

function nodes(key: 'SESSION_REDIS_CLUSTER_NODES' | 'SESSION_REDIS_SENTINELS', list: unknown): RedisNodeAddress[] {
  if (!Array.isArray(list))
    throw new SessionConfigError(key, 'must be a list of host:port (a JSON array or comma-separated)');
  const parsed = parseRedisNodeList(list);
  if (typeof parsed === 'string') throw new SessionConfigError(key, parsed);
  return parsed;
}

/**
 * The Redis deployment the config names, or null when it names none: `SESSION_REDIS_URL` (one
 * server), `SESSION_REDIS_CLUSTER_NODES` (a cluster) or `SESSION_REDIS_SENTINELS` with
 * `SESSION_REDIS_SENTINEL_MASTER`. At most one of the three; each mistake names its key.
 */
export function resolveRedisTarget(config: TopologyConfig): RedisTarget | null {
  const given = (['SESSION_REDIS_URL', 'SESSION_REDIS_CLUSTER_NODES', 'SESSION_REDIS_SENTINELS'] as const).filter(
    (key) => config[key] != null,
  );
  if (given.length > 1) {
    throw new SessionConfigError(
      given[1]!,
      `cannot be combined with ${given[0]}: set one of SESSION_REDIS_URL, SESSION_REDIS_CLUSTER_NODES, SESSION_REDIS_SENTINELS`,
    );
  }
  const master = config.SESSION_REDIS_SENTINEL_MASTER;
  if (master != null && (typeof master !== 'string' || master.trim() === '')) {
    throw new SessionConfigError('SESSION_REDIS_SENTINEL_MASTER', 'must be the name of a master the sentinels monitor');
  }
  if (config.SESSION_REDIS_SENTINELS != null) {
    const sentinels = nodes('SESSION_REDIS_SENTINELS', config.SESSION_REDIS_SENTINELS);
    if (master == null)
      throw new SessionConfigError(
        'SESSION_REDIS_SENTINEL_MASTER',
        'must be set with SESSION_REDIS_SENTINELS (the master name the sentinels monitor)',
      );
    return { sentinels, sentinelMaster: master };
  }
  if (master != null)
    throw new SessionConfigError(
      'SESSION_REDIS_SENTINEL_MASTER',
      'needs SESSION_REDIS_SENTINELS (host:port of each sentinel)',
    );
  if (config.SESSION_REDIS_CLUSTER_NODES != null)
    return { clusterNodes: nodes('SESSION_REDIS_CLUSTER_NODES', config.SESSION_REDIS_CLUSTER_NODES) };
  const url = config.SESSION_REDIS_URL;
  if (url != null) {
    if (typeof url !== 'string')
      throw new SessionConfigError('SESSION_REDIS_URL', 'must be a redis:// or rediss:// URL');
    return { url };
  }
  return null;
}

/** Start-up check of the Redis keys (see {@link resolveRedisTarget}). */
export function validateRedisTopology(config: TopologyConfig): void {
  resolveRedisTarget(config);
}
