import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { RedisServer } from './redis-server.js';

const run = promisify(execFile);

/** Polls `check` every 100 ms until it is true; fails with `what` after `ms`. */
export async function waitFor(what: string, check: () => Promise<boolean>, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A direct connection to one server that gives up at once (no retry, no queue). */
export function directClient(port: number): Redis {
  const client = new Redis(port, '127.0.0.1', {
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

interface ClusterNodeLine {
  id: string;
  port: number;
  master: boolean;
  masterId: string | null;
  failed: boolean;
}

function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, masterId] = line.split(' ') as [string, string, string, string];
      return {
        id,
        port: Number(address.split('@')[0]!.split(':')[1]),
        master: flags.split(',').includes('master'),
        masterId: masterId === '-' ? null : masterId,
        failed: flags.split(',').some((flag) => flag === 'fail' || flag === 'fail?'),
      };
    });
}

/**
 * A Redis Cluster of `masters` masters with one replica each on 127.0.0.1, built the documented
 * way: `redis-server --cluster-enabled yes` per node (its bus on a second free port, its
 * nodes.conf in a temporary directory), then `redis-cli --cluster create --cluster-replicas 1`.
 */
export class RedisCluster {
  private constructor(
    readonly servers: RedisServer[],
    private readonly dir: string,
  ) {}

  /** `host:port` of every node, the form SESSION_REDIS_CLUSTER_NODES takes. */
  get seeds(): string[] {
    return this.servers.map((server) => `127.0.0.1:${server.port}`);
  }

  static async start({ masters = 3, nodeTimeout = 1000 } = {}): Promise<RedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'nest-flask-session-cluster-'));
    const servers: RedisServer[] = [];
    const cluster = new RedisCluster(servers, dir);
    try {
      for (let i = 0; i < masters * 2; i += 1) {
        const [port, busPort] = [await freePort(), await freePort()];
        servers.push(
          await RedisServer.start(
            [
              '--cluster-enabled',
              'yes',
              '--cluster-port',
              String(busPort),
              '--cluster-config-file',
              join(dir, `nodes-${port}.conf`),
              '--cluster-node-timeout',
              String(nodeTimeout),
              // A paused master's replica may always take over, however long ago it last heard from it.
              '--cluster-replica-validity-factor',
              '0',
              '--dir',
              dir,
            ],
            port,
          ),
        );
      }
      await run('redis-cli', ['--cluster', 'create', ...cluster.seeds, '--cluster-replicas', '1', '--cluster-yes'], {
        timeout: 30000,
      });
      await cluster.waitUntilHealthy();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Every node answering and agreeing that all slots are served and each master has a replica. */
  async waitUntilHealthy(ms = 30000): Promise<void> {
    await waitFor(
      'a healthy cluster',
      async () => {
        for (const server of this.servers) {
          const client = directClient(server.port);
          try {
            if (!String(await client.cluster('INFO')).includes('cluster_state:ok')) return false;
            const nodes = parseClusterNodes(String(await client.cluster('NODES')));
            if (nodes.length !== this.servers.length || nodes.some((node) => node.failed)) return false;
            const masters = nodes.filter((node) => node.master);
            if (masters.length * 2 !== nodes.length) return false;
            if (!masters.every((master) => nodes.some((node) => node.masterId === master.id))) return false;
          } finally {
            client.disconnect();
          }
        }
        return true;
      },
      ms,
    );
  }

  /** The current masters, each with its replicas, as one live node sees them. */
  async topology(): Promise<Array<{ master: RedisServer; replicas: RedisServer[] }>> {
    const live = this.servers.find((server) => server.process.exitCode === null && !server.paused)!;
    const client = directClient(live.port);
    try {
      const nodes = parseClusterNodes(String(await client.cluster('NODES')));
      const byPort = (port: number) => this.servers.find((server) => server.port === port)!;
      return nodes
        .filter((node) => node.master && !node.failed)
        .map((master) => ({
          master: byPort(master.port),
          replicas: nodes.filter((node) => node.masterId === master.id).map((node) => byPort(node.port)),
        }));
    } finally {
      client.disconnect();
    }
  }

  /** The server that owns `key` now. */
  async masterOf(key: string): Promise<RedisServer> {
    const client = directClient(this.servers.find((server) => !server.paused)!.port);
    try {
      const slot = await client.cluster('KEYSLOT', key);
      const slots = await client.cluster('SLOTS');
      const [, , owner] = slots.find(([from, to]) => slot >= from && slot <= to)!;
      const port = owner![1];
      return this.servers.find((server) => server.port === port)!;
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
