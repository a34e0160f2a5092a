/**
 * What guarding bracket access costs per request: a handler's usual session work (`await` of
 * the session, which probes `then`; mark accessed, two reads, a write, a size check) on a
 * session as request code gets it (guarded: writing `session['key']` throws), against the same
 * work on a session class without the guard in its prototype chain (removed for the baseline
 * rounds only), nanoseconds each. Quick (a few seconds): `npm run bench:guard`. The guard must
 * stay under 1 µs per request.
 */
import { SecureCookieSession } from '../lib/index.js';
import { guardBracketAccess } from '../lib/sessions/index.js';

const ROUNDS = Number(process.env.BENCH_GUARD_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_GUARD_REQUESTS ?? 1_000_000);

/** One request: the session is created (as an interface would), then used by a handler. */
function request(guard: boolean): boolean {
  const session = new SecureCookieSession([
    ['user_id', 'alice'],
    ['visits', 3],
  ]);
  if (guard) guardBracketAccess(session);
  void (session as { then?: unknown }).then;
  session.accessed = true;
  const visits = session.get('visits', 0) as number;
  session.get('user_id');
  session.set('visits', visits + 1);
  return session.size > 0 && session.modified;
}

function nsPerRequest(guard: boolean): number {
  for (let i = 0; i < REQUESTS / 10; i++) request(guard);
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) request(guard);
  return Number(process.hrtime.bigint() - start) / REQUESTS;
}

/** The fastest round of each (the least disturbed by other work on the machine). */
export function measureBracketGuard(): { plain: number; guarded: number; cost: number } {
  const guard = Object.getPrototypeOf(SecureCookieSession.prototype) as object;
  let plain = Infinity;
  let guarded = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    Object.setPrototypeOf(SecureCookieSession.prototype, Object.prototype);
    plain = Math.min(plain, nsPerRequest(false));
    Object.setPrototypeOf(SecureCookieSession.prototype, guard);
    guarded = Math.min(guarded, nsPerRequest(true));
  }
  return { plain, guarded, cost: guarded - plain };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { plain, guarded, cost } = measureBracketGuard();
  console.log(`session work per request, no guard: ${plain.toFixed(0)} ns`);
  console.log(`session work per request, guarded:   ${guarded.toFixed(0)} ns`);
  console.log(`cost of the bracket-access guard:    ${cost.toFixed(0)} ns per request (limit 1000 ns)`);
  if (cost >= 1000) process.exitCode = 1;
}
