/**
 * RedisSessionInterface behind real Redis Sentinels started by the test: with the master paused
 * requests answer 503 within the command timeout (never 500 or a logout), and after the promotion
 * replicated sessions survive and writes go to the new master.
 */
import { describeWithProgram } from '../support/external-program.js';
import { watchFailover, type StoredSession } from '../support/failover-watch.js';
import { directClient, waitFor } from '../support/redis-cluster.js';
import { redisInstalled, type RedisServer } from '../support/redis-server.js';
import { MASTER_NAME, RedisSentinelSet } from '../support/redis-sentinel.js';
import { COMMAND_TIMEOUT, inBatches, SessionNode } from '../support/session-nodes.js';

/** Scheduling slack on a loaded CI machine, on top of the command timeout, for a 503 to arrive. */
const SLACK = 2000;

async function replicationField(server: RedisServer, field: string): Promise<string | undefined> {
  const client = directClient(server.port);
  try {
    return new RegExp(`${field}:(\\S+)`).exec(await client.info('replication'))?.[1];
  } finally {
    client.disconnect();
  }
}

describeWithProgram(
  'RedisSessionInterface behind Redis Sentinel (1 master, 1 replica, 3 sentinels)',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let set: RedisSentinelSet;
    let express: SessionNode;
    let fastify: SessionNode;

    beforeAll(async () => {
      set = await RedisSentinelSet.start({ downAfter: 1000 });
      const env = {
        SESSION_REDIS_SENTINELS: set.sentinelAddresses.join(','),
        SESSION_REDIS_SENTINEL_MASTER: MASTER_NAME,
      };
      express = await SessionNode.start('express', env);
      fastify = await SessionNode.start('fastify', env);
    }, 60000);

    afterAll(async () => {
      await express?.close();
      await fastify?.close();
      await set?.stop();
    }, 30000);

    it('the master paused: 503 within the command timeout, never 500 or a logout; after promotion replicated sessions survive and writes succeed, also once the old master is back', async () => {
      const create = async (i: number): Promise<StoredSession> => {
        const reply = await (i % 2 ? express : fastify).get(`/set/v/s${i}`);
        expect(reply.status).toBe(200);
        return { cookie: reply.cookie!, id: reply.body.id!, value: `s${i}` };
      };
      const stored = await inBatches(
        Array.from({ length: 100 }, (_, i) => i),
        8,
        (i) => create(i),
      );
      for (const [i, session] of stored.entries()) {
        expect((await (i % 2 ? fastify : express).get('/read', session.cookie)).body.data).toEqual({
          v: session.value,
        });
      }
      await waitFor(
        'the replica to catch up',
        async () =>
          Number(await replicationField(set.replica, 'slave_repl_offset')) >=
          Number(await replicationField(set.master, 'master_repl_offset')),
      );
      const late = await inBatches(
        Array.from({ length: 20 }, (_, i) => 100 + i),
        4,
        (i) => create(i),
      );

      const observed = await watchFailover(express, stored, () => set.master.pause());
      let lateSurvived = 0;
      try {
        expect(observed.unexpected).toEqual([]);
        expect(observed.loggedOut).toEqual([]);
        expect(observed.count503).toBeGreaterThan(0);
        expect(observed.slowest503).toBeLessThan(COMMAND_TIMEOUT + SLACK);
        expect(Number.isFinite(observed.unavailableMs)).toBe(true);
        expect(await set.announcedMasterPort()).toBe(set.replica.port);
        expect(await replicationField(set.replica, 'role')).toBe('master');

        const survived = await inBatches(stored, 8, async (session, i) => {
          const reply = await (i % 2 ? express : fastify).get('/read', session.cookie);
          expect(reply.status).toBe(200);
          return reply.body.new === false && reply.body.data?.v === session.value;
        });
        expect(survived.every(Boolean)).toBe(true);
        lateSurvived = (
          await inBatches(
            late,
            4,
            async (session) => (await fastify.get('/read', session.cookie)).body.data?.v === session.value,
          )
        ).filter(Boolean).length;
      } finally {
        set.master.resume();
      }
      // The old master comes back; the sentinels turn it into a replica of the new one. Both
      // instances keep writing to the new master (a write that reached the old one would fail READONLY).
      await waitFor(
        'the old master to become a replica',
        async () => (await replicationField(set.master, 'role')) === 'slave',
      );
      for (const node of [express, fastify]) {
        for (let i = 0; i < 10; i += 1) {
          const created = await node.get(`/set/v/after${i}`);
          expect(created.status).toBe(200);
          const touched = await node.get('/set/w/again', created.cookie);
          expect(touched.status).toBe(200);
          expect((await (node === express ? fastify : express).get('/read', created.cookie)).body.data).toEqual({
            v: `after${i}`,
            w: 'again',
          });
        }
      }
      console.info(
        `Redis Sentinel failover: ${observed.count503} of ${observed.replies.length} requests answered 503 (slowest ${Math.round(observed.slowest503)} ms), ` +
          `unavailable for ${Math.round(observed.unavailableMs)} ms after SIGSTOP (down-after-milliseconds 1000); ` +
          `${stored.length}/${stored.length} replicated sessions survived; ${lateSurvived}/${late.length} written just before the pause survived.`,
      );
    }, 90000);
  },
);
