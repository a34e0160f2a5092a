/**
 * RedisSessionInterface on a real 3+3 Redis Cluster started by the test: sessions from two Nest
 * instances land on every master, the sample switches to the cluster by config alone, and a
 * paused master answers 503 (never 500 or a logout) until its replica takes over.
 */
import { Cluster } from 'ioredis';
import request from 'supertest';
import { RedisSessionInterface, SessionInterface } from 'nest-flask-session';
import { createSampleApp } from '../../sample/src/app.factory.js';
import { sessionCookieValue } from '../support/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';
import { expectFailoverRidden, watchFailover, type StoredSession } from '../support/failover-watch.js';
import { logInToSample } from '../support/sample-forms.js';
import { directClient, RedisCluster, waitFor } from '../support/redis-cluster.js';
import { redisInstalled, type RedisServer } from '../support/redis-server.js';
import { inBatches, keyOf, SessionNode } from '../support/session-nodes.js';

/** Waits until `replica` has received everything its master has. */
async function replicated(master: RedisServer, replica: RedisServer): Promise<void> {
  const offset = async (server: RedisServer, field: string) => {
    const client = directClient(server.port);
    try {
      return Number(new RegExp(`${field}:(\\d+)`).exec(await client.info('replication'))![1]);
    } finally {
      client.disconnect();
    }
  };
  await waitFor(
    'the replica to catch up',
    async () => (await offset(replica, 'slave_repl_offset')) >= (await offset(master, 'master_repl_offset')),
  );
}

// `redis-cli --cluster create` builds the cluster: Debian's redis-tools, a dependency of redis-server.
const clusterToolsInstalled = redisInstalled && programWorks('redis-cli', ['--version']);

describeWithProgram(
  'RedisSessionInterface on a Redis Cluster (3 masters, 3 replicas)',
  clusterToolsInstalled,
  'apt-get install -y redis-server redis-tools',
  () => {
    let cluster: RedisCluster;
    let express: SessionNode;
    let fastify: SessionNode;
    let admin: Cluster;

    beforeAll(async () => {
      cluster = await RedisCluster.start({ masters: 3, nodeTimeout: 1000 });
      // Two seeds are enough: the client discovers the rest from CLUSTER SLOTS.
      const env = { SESSION_REDIS_CLUSTER_NODES: cluster.seeds.slice(0, 2).join(',') };
      express = await SessionNode.start('express', env);
      fastify = await SessionNode.start('fastify', env);
      admin = new Cluster(cluster.seeds.map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) })));
    }, 60000);

    afterAll(async () => {
      await express?.close();
      await fastify?.close();
      admin?.disconnect();
      await cluster?.stop();
    }, 30000);

    it('1,000 sessions created over two Nest instances land on all three masters and are read back by the other instance', async () => {
      const sessions = await inBatches(
        Array.from({ length: 1000 }, (_, i) => i),
        16,
        async (i) => {
          const [writer, reader] = i % 2 === 0 ? [express, fastify] : [fastify, express];
          const created = await writer.get(`/set/v/s${i}`);
          expect(created.status).toBe(200);
          const read = await reader.get('/read', created.cookie);
          expect(read.status).toBe(200);
          expect(read.body).toEqual({ data: { v: `s${i}` }, id: created.body.id, new: false });
          return created.cookie!;
        },
      );
      // One key per session, `session:<id>` with no hash tag: each key's slot is its own.
      const ours = new Set(sessions.map(keyOf));
      expect(ours.size).toBe(1000);
      const perMaster = new Map<number, number>();
      for (const { master } of await cluster.topology()) {
        const client = directClient(master.port);
        const keys = await client.keys('session:*');
        client.disconnect();
        for (const key of keys) expect(key).toMatch(/^session:[A-Za-z0-9_-]{43}$/);
        perMaster.set(master.port, keys.filter((key) => ours.has(key)).length);
      }
      expect(perMaster.size).toBe(3);
      expect([...perMaster.values()].reduce((a, b) => a + b, 0)).toBe(1000);
      // Random ids spread by CRC16: about 333 each, never fewer than 250 in practice (6 sigma).
      for (const count of perMaster.values()) expect(count).toBeGreaterThan(250);
    }, 120000);

    it('the sample app switches to Redis sessions on SESSION_REDIS_CLUSTER_NODES alone, and its login holds', async () => {
      const app = await createSampleApp({
        session: { SECRET_KEY: 'sample cluster key', SESSION_REDIS_CLUSTER_NODES: cluster.seeds },
        envFile: false,
        logger: false,
      });
      try {
        await app.init();
        expect(app.get(SessionInterface)).toBeInstanceOf(RedisSessionInterface);
        const agent = request.agent(app.getHttpServer());
        const { login } = await logInToSample(agent);
        expect([302, 303]).toContain(login.status);
        const id = sessionCookieValue(login.headers)!.split('.')[0]!;
        expect(JSON.parse((await admin.get(`session:${id}`))!)).toHaveProperty('user_id');
        expect((await agent.get('/')).text).toContain('alice');
      } finally {
        await app.close();
        await (app.get(SessionInterface) as RedisSessionInterface).close();
      }
    });

    it('a master paused: 503 within the command timeout, never 500 or a logout; its replica takes over and every replicated session survives', async () => {
      // Sessions on every master, replicated; then 20 more written just before the pause.
      const create = async (i: number): Promise<StoredSession> => {
        const reply = await express.get(`/set/v/f${i}`);
        expect(reply.status).toBe(200);
        return { cookie: reply.cookie!, id: reply.body.id!, value: `f${i}` };
      };
      const stored = await inBatches(
        Array.from({ length: 150 }, (_, i) => i),
        8,
        (i) => create(i),
      );
      const before = await cluster.topology();
      const victimMaster = await cluster.masterOf(keyOf(stored[0]!.cookie));
      const { replicas } = before.find(({ master }) => master === victimMaster)!;
      await replicated(victimMaster, replicas[0]!);
      const late = await inBatches(
        Array.from({ length: 20 }, (_, i) => 150 + i),
        4,
        (i) => create(i),
      );
      const onVictim: StoredSession[] = [];
      for (const session of stored)
        if ((await cluster.masterOf(keyOf(session.cookie))) === victimMaster) onVictim.push(session);
      expect(onVictim.length).toBeGreaterThan(20);

      const observed = await watchFailover(fastify, onVictim, () => victimMaster.pause());
      try {
        expectFailoverRidden(observed);
        // The replica was promoted: it now serves the paused master's slots.
        expect((await cluster.masterOf(keyOf(onVictim[0]!.cookie))).port).toBe(replicas[0]!.port);

        // The Express instance saw none of the failover: its client learns the new topology on
        // its own first failed command. Wait (bounded) until it serves the promoted slots too.
        const deadline = Date.now() + 30_000;
        while ((await express.get('/read', onVictim[0]!.cookie)).status !== 200) {
          if (Date.now() > deadline) throw new Error('the Express instance never reached the promoted replica');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        // Every session replicated before the pause is still there, read by either instance.
        const survived = await inBatches(stored, 8, async (session, i) => {
          const reply = await (i % 2 ? express : fastify).get('/read', session.cookie);
          expect(reply.status).toBe(200);
          return reply.body.new === false && reply.body.data?.v === session.value;
        });
        expect(survived.every(Boolean)).toBe(true);
        // The last writes before the pause had no replication guarantee: count what made it.
        const lateSurvived = (
          await inBatches(
            late,
            4,
            async (session) => (await express.get('/read', session.cookie)).body.data?.v === session.value,
          )
        ).filter(Boolean).length;
        // New writes succeed without a restart, on every master including the promoted replica.
        const fresh = await inBatches(
          Array.from({ length: 30 }, (_, i) => i),
          6,
          async (i) => {
            const reply = await express.get(`/set/v/after${i}`);
            expect(reply.status).toBe(200);
            expect((await fastify.get('/read', reply.cookie)).body.data).toEqual({ v: `after${i}` });
            return reply.cookie!;
          },
        );
        const newOwners = new Set(
          await Promise.all(fresh.map(async (cookie) => (await cluster.masterOf(keyOf(cookie))).port)),
        );
        expect(newOwners.has(replicas[0]!.port)).toBe(true);
        console.info(
          `Redis Cluster failover: ${observed.count503} of ${observed.replies.length} requests answered 503 (slowest ${Math.round(observed.slowest503)} ms), ` +
            `unavailable for ${Math.round(observed.unavailableMs)} ms after SIGSTOP (cluster-node-timeout 1000 ms); ` +
            `${stored.length}/${stored.length} replicated sessions survived; ${lateSurvived}/${late.length} written just before the pause survived.`,
        );
      } finally {
        victimMaster.resume();
      }
      // The old master comes back as a replica of the new one; the cluster heals, sessions still answer.
      await cluster.waitUntilHealthy();
      const again = await fastify.get('/read', onVictim[0]!.cookie);
      expect(again.status).toBe(200);
      expect(again.body.data?.v).toBe(onVictim[0]!.value);
    }, 90000);
  },
);
