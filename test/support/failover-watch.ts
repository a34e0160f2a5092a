import { COMMAND_TIMEOUT, type Reply, type SessionNode } from './session-nodes.js';

/** Scheduling slack on a loaded CI machine, on top of the command timeout, for a 503 to arrive. */
export const SLACK = 2000;

/** A session written before the failover: its cookie and the value stored under key `v`. */
export interface StoredSession {
  cookie: string;
  id: string;
  value: string;
}

export interface Observed extends Reply {
  /** Milliseconds after the pause when the request was sent. */
  at: number;
  kind: 'read' | 'rewrite' | 'create';
  victim?: StoredSession;
}

export interface FailoverObservation {
  replies: Observed[];
  /** Replies other than 200 or 503 (must stay empty: a 500 is a bug). */
  unexpected: Observed[];
  /** 200 replies that lost a session that was there before (must stay empty). */
  loggedOut: Observed[];
  count503: number;
  /** The longest a 503 took to come back, in ms. */
  slowest503: number;
  /** From the pause to the end of the first reply of the round after which everything answered 200. */
  unavailableMs: number;
}

/**
 * Pauses a master with `pause()`, then every 50 ms reads a session stored on it, rewrites one
 * (`SET ... XX`) and creates a new one, until a 503 has been seen and `settle` rounds in a row
 * answered 200 (or `deadlineMs` passes). Each reply is checked: only 200 or 503, and a 200 on a
 * stored session still shows its data under its own id (no silent logout).
 */
export async function watchFailover(
  node: SessionNode,
  victims: readonly StoredSession[],
  pause: () => void,
  { deadlineMs = 30000, settle = 10 } = {},
): Promise<FailoverObservation> {
  const replies: Observed[] = [];
  const t0 = performance.now();
  pause();
  let okRounds = 0;
  let seen503 = false;
  let recoveredRoundStart = -1;
  for (let round = 0; performance.now() - t0 < deadlineMs; round += 1) {
    const victim = victims[round % victims.length]!;
    const at = performance.now() - t0;
    const roundReplies: Observed[] = await Promise.all([
      node.get('/read', victim.cookie).then((reply) => ({ ...reply, at, kind: 'read' as const, victim })),
      node
        .get(`/set/touched/${round}`, victim.cookie)
        .then((reply) => ({ ...reply, at, kind: 'rewrite' as const, victim })),
      node.get(`/set/v/new-${round}`).then((reply) => ({ ...reply, at, kind: 'create' as const })),
    ]);
    replies.push(...roundReplies);
    if (roundReplies.some((reply) => reply.status !== 200)) {
      seen503 ||= roundReplies.some((reply) => reply.status === 503);
      okRounds = 0;
      recoveredRoundStart = -1;
    } else {
      if (okRounds === 0) recoveredRoundStart = replies.length - roundReplies.length;
      okRounds += 1;
      if (seen503 && okRounds >= settle) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const failures = replies.filter((reply) => reply.status === 503);
  const firstOk = recoveredRoundStart >= 0 ? replies[recoveredRoundStart]! : undefined;
  return {
    replies,
    unexpected: replies.filter((reply) => reply.status !== 200 && reply.status !== 503),
    loggedOut: replies.filter(
      (reply) =>
        reply.status === 200 &&
        reply.victim !== undefined &&
        (reply.body.id !== reply.victim.id ||
          (reply.kind === 'read' && (reply.body.new !== false || reply.body.data?.v !== reply.victim.value))),
    ),
    count503: failures.length,
    slowest503: Math.max(0, ...failures.map((reply) => reply.ms)),
    unavailableMs: seen503 && firstOk ? firstOk.at + firstOk.ms : Number.NaN,
  };
}

/**
 * A failover ridden out as documented: only 200s and 503s, no session lost, some 503s (the pause
 * was seen), each within the command timeout, and service back before the watch ended.
 */
export function expectFailoverRidden(observed: FailoverObservation): void {
  expect(observed.unexpected).toEqual([]);
  expect(observed.loggedOut).toEqual([]);
  expect(observed.count503).toBeGreaterThan(0);
  expect(observed.slowest503).toBeLessThan(COMMAND_TIMEOUT + SLACK);
  expect(Number.isFinite(observed.unavailableMs)).toBe(true);
}
