import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directClient, waitFor } from './redis-cluster.js';
import { freePort } from './free-port.js';
import { RedisServer } from './redis-server.js';

export const MASTER_NAME = 'sessions';

/**
 * One master, one replica and three sentinels (quorum 2) on 127.0.0.1, the sentinels being
 * `redis-server <config> --sentinel` with a writable config in a temporary directory.
 */
export class RedisSentinelSet {
  private constructor(
    readonly master: RedisServer,
    readonly replica: RedisServer,
    readonly sentinels: RedisServer[],
    private readonly dir: string,
  ) {}

  /** `host:port` of each sentinel, the form SESSION_REDIS_SENTINELS takes. */
  get sentinelAddresses(): string[] {
    return this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`);
  }

  static async start({ downAfter = 1000 } = {}): Promise<RedisSentinelSet> {
    const dir = await mkdtemp(join(tmpdir(), 'nest-flask-session-sentinel-'));
    const started: RedisServer[] = [];
    try {
      // --dir: a replica's full sync writes an RDB file, which belongs in the temporary directory.
      const master = await RedisServer.start(['--dir', dir]);
      started.push(master);
      const replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(master.port), '--dir', dir]);
      started.push(replica);
      const sentinels: RedisServer[] = [];
      for (let i = 0; i < 3; i += 1) {
        const port = await freePort();
        const file = join(dir, `sentinel-${port}.conf`);
        await writeFile(
          file,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfter}`,
            `sentinel failover-timeout ${MASTER_NAME} ${downAfter * 5}`,
            `sentinel parallel-syncs ${MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        const sentinel = await RedisServer.spawn([file, '--sentinel'], port);
        started.push(sentinel);
        sentinels.push(sentinel);
      }
      const set = new RedisSentinelSet(master, replica, sentinels, dir);
      await set.waitUntilReady();
      return set;
    } catch (error) {
      await Promise.all(started.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Every sentinel knows the other two and the replica, and the replica is in sync. */
  private async waitUntilReady(): Promise<void> {
    await waitFor(
      'the replica in sync and the sentinels aware of each other',
      async () => {
        const replica = directClient(this.replica.port);
        try {
          if (!(await replica.info('replication')).includes('master_link_status:up')) return false;
        } finally {
          replica.disconnect();
        }
        for (const sentinel of this.sentinels) {
          const client = directClient(sentinel.port);
          try {
            const others = (await client.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
            const replicas = (await client.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
            if (others.length !== 2 || replicas.length !== 1) return false;
          } finally {
            client.disconnect();
          }
        }
        return true;
      },
      30000,
    );
  }

  /** The master's port as the sentinels announce it (after a failover, the replica's). */
  async announcedMasterPort(): Promise<number> {
    const client = directClient(this.sentinels[0]!.port);
    try {
      const [, port] = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
      return Number(port);
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map((server) => server.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
