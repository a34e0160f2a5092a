/**
 * `npm run bench`: HTTP throughput of session layers side by side, codec speed, and heap.
 * Servers run in child processes pinned to one core (taskset), the load generator on the
 * other; apps are interleaved over several short rounds and each is reported as a ratio to the
 * bare-Nest ceiling measured in the same round, plus CPU time per request inside the server.
 * Workloads: `/hit` and `/read` with one login cookie, `/plain` (no `@Session()`) with and
 * without it, and `/read` and `/hit` where each connection cycles through BENCH_MANY_SESSIONS
 * (10,000) distinct login cookies in its own shuffled order, with the verified-cookie cache's hit
 * rate. Then the codecs, and the heap over HEAP_REQUESTS (200,000) requests per platform and
 * interface (bench/heap.ts). BENCH_TINY=1 runs a few seconds in all (the smoke test in npm
 * test); BENCH_ROUNDS and BENCH_SECONDS tune the full run; BENCH_APPS picks apps; BENCH_HEAP=0
 * skips the heap runs. Writes bench/results/latest.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { RedisServer, redisInstalled } from '../test/support/redis-server.js';
import { runWrk, wrkInstalled, writeCookieFile } from './wrk.js';
import { runCodecBenchmark, type CodecResult } from './codec.js';
import { ceilingOf, SERVER_KINDS, type ServerKind } from './server.js';

const TINY = process.env.BENCH_TINY === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (TINY ? 1 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (TINY ? 1 : 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const OUTPUT = process.env.BENCH_OUTPUT ?? fileURLToPath(new URL('../../bench/results/latest.md', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./server.js', import.meta.url));
const MANY_SESSIONS = Number(process.env.BENCH_MANY_SESSIONS ?? (TINY ? 300 : 10_000));
const HEAP_REQUESTS = Number(process.env.HEAP_REQUESTS ?? (TINY ? 3000 : 200_000));
const HEAP_SCRIPT = fileURLToPath(new URL('./heap.js', import.meta.url));
const HEAP_LIMIT_MB = 1;
const HEAP_PLATFORMS = ['express', 'fastify'] as const;
const HEAP_INTERFACES = ['cookie', 'encrypted', 'redis', 'flask-redis'] as const;
/** The load generator: wrk when installed (bench/wrk.ts says why), unless BENCH_LOAD=autocannon. */
const LOAD: 'wrk' | 'autocannon' = process.env.BENCH_LOAD === 'autocannon' || !wrkInstalled ? 'autocannon' : 'wrk';
const MANY_LABEL = `${MANY_SESSIONS.toLocaleString('en-US')} sessions`;

const isOurs = (kind: ServerKind): boolean => kind.includes('flask-session');
const isBare = (kind: ServerKind): boolean => kind.endsWith('nest-bare');
const isFloor = (kind: ServerKind): boolean => kind.endsWith('-floor');
/** Our cookie apps (signed, encrypted, cache on and off) with the global interceptor. */
const isCookieApp = (kind: ServerKind): boolean =>
  /flask-session-(cookie|encrypted)/.test(kind) && !kind.endsWith('-no-interceptor');

/** One load: a route, which cookie the requests carry, and the apps it runs on. */
interface Workload {
  /** The label in the tables. */
  route: string;
  path: string;
  cookie: 'login' | 'none' | 'many';
  applies(kind: ServerKind): boolean;
}

const WORKLOADS: Workload[] = [
  { route: '/hit', path: '/hit', cookie: 'login', applies: () => true },
  { route: '/read', path: '/read', cookie: 'login', applies: () => true },
  {
    route: '/plain',
    path: '/plain',
    cookie: 'login',
    applies: (kind) => isBare(kind) || isOurs(kind) || isFloor(kind),
  },
  {
    route: '/plain, no cookie',
    path: '/plain',
    cookie: 'none',
    applies: (kind) => isBare(kind) || isOurs(kind) || isFloor(kind),
  },
  {
    route: `/read, ${MANY_LABEL}`,
    path: '/read',
    cookie: 'many',
    applies: (kind) => isBare(kind) || isCookieApp(kind) || isFloor(kind),
  },
  {
    route: `/hit, ${MANY_LABEL}`,
    path: '/hit',
    cookie: 'many',
    applies: (kind) => isBare(kind) || isCookieApp(kind) || isFloor(kind),
  },
];
const ROUTES = WORKLOADS.map((workload) => workload.route);
/** The single-cookie routes the earlier issues' targets are about. */
const SINGLE_ROUTES = ['/hit', '/read'] as const;
const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && cpus().length >= 2;

interface Running {
  kind: ServerKind;
  port: number;
  child: ChildProcess;
  cookie?: string;
  /** Distinct login cookies for the many-sessions workload (the bare apps get the signed app's). */
  manyCookies?: string[];
  /** The same cookies in a file, for wrk. */
  manyCookieFile?: string;
}

interface Measurement {
  kind: ServerKind;
  route: string;
  round: number;
  rps: number;
  p99: number;
  cpuUsPerRequest: number;
  non2xx: number;
  /** The verified-cookie cache's hit rate over the measurement; null without a cache. */
  hitRate: number | null;
}

type CacheStats = { hits: number; misses: number } | null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message);
  });
}

async function startServer(kind: ServerKind, redisUrl?: string): Promise<Running> {
  const port = await freePort();
  const args = [SERVER_SCRIPT, kind, String(port), ...(redisUrl ? [redisUrl] : [])];
  const [command, commandArgs] = HAS_TASKSET
    ? ['taskset', ['-c', '1', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, commandArgs as string[], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  const running: Running = { kind, port, child };
  // A valid session cookie for the load: one /hit, whose Set-Cookie every request then sends.
  const res = await fetch(`http://127.0.0.1:${port}/hit`);
  running.cookie =
    res.headers
      .getSetCookie()
      .map((line) => line.split(';', 1)[0])
      .join('; ') || undefined;
  return running;
}

/** A deterministic shuffle of 0..n-1 (xorshift32 from `seed`), so every run sends the same orders. */
function shuffledOrder(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  let state = seed * 2654435761 || 1;
  for (let i = n - 1; i > 0; i -= 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** autocannon's per-connection hook: each connection sends the cookies in an order of its own, one per request. */
function cycleThrough(cookies: string[]): (client: autocannon.Client) => void {
  let connection = 0;
  return (client) => {
    const order = shuffledOrder(cookies.length, ++connection);
    let next = 0;
    const advance = (): void => {
      client.setHeaders({ cookie: cookies[order[next]!]! });
      next = (next + 1) % order.length;
    };
    advance();
    client.on('response', advance);
  };
}

interface Load {
  rps: number;
  p99Ms: number;
  errors: number;
}

async function autocannonLoad(
  url: string,
  cookie: string | undefined,
  many: string[] | undefined,
  seconds = SECONDS,
): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: cookie ? { cookie } : {},
    ...(many ? { setupClient: cycleThrough(many) } : {}),
  });
  return { rps: result.requests.average, p99Ms: result.latency.p99, errors: result.non2xx + result.errors };
}

let cookieDir: string | undefined;

function wrkLoad(
  server: Running,
  url: string,
  cookie: string | undefined,
  many: string[] | undefined,
  seconds = SECONDS,
): Promise<Load> {
  if (many && !server.manyCookieFile) {
    cookieDir ??= mkdtempSync(join(tmpdir(), 'bench-cookies-'));
    server.manyCookieFile = writeCookieFile(join(cookieDir, `${server.kind}.txt`), many);
  }
  return runWrk({
    url,
    connections: CONNECTIONS,
    seconds,
    cookie,
    cookieFile: many ? server.manyCookieFile : undefined,
  });
}

async function warmUp(server: Running, workload: Workload): Promise<void> {
  const many = workload.cookie === 'many' ? server.manyCookies : undefined;
  const url = `http://127.0.0.1:${server.port}${workload.path}`;
  const cookie = workload.cookie === 'login' ? server.cookie : undefined;
  if (LOAD === 'wrk') await wrkLoad(server, url, cookie, many, 1);
  else await autocannonLoad(url, cookie, many, 1);
}

async function measure(server: Running, workload: Workload, round: number): Promise<Measurement> {
  const before = await ask<{ cpu: NodeJS.CpuUsage; requests: number }>(server.child, 'stats');
  const cacheBefore = (await ask<{ cache: CacheStats }>(server.child, 'cache')).cache;
  const many = workload.cookie === 'many' ? server.manyCookies : undefined;
  const url = `http://127.0.0.1:${server.port}${workload.path}`;
  const cookie = workload.cookie === 'login' ? server.cookie : undefined;
  const load = LOAD === 'wrk' ? await wrkLoad(server, url, cookie, many) : await autocannonLoad(url, cookie, many);
  const after = await ask<{ cpu: NodeJS.CpuUsage; requests: number }>(server.child, 'stats');
  const cacheAfter = (await ask<{ cache: CacheStats }>(server.child, 'cache')).cache;
  const served = Math.max(1, after.requests - before.requests);
  const cpu = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  let hitRate: number | null = null;
  if (cacheBefore && cacheAfter) {
    const hits = cacheAfter.hits - cacheBefore.hits;
    const lookups = hits + cacheAfter.misses - cacheBefore.misses;
    hitRate = lookups > 0 ? hits / lookups : null;
  }
  return {
    kind: server.kind,
    route: workload.route,
    round,
    rps: load.rps,
    p99: load.p99Ms,
    cpuUsPerRequest: cpu / served,
    non2xx: load.errors,
    hitRate,
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Per round, `value(app) / value(other)` for the same route; the median over rounds. */
function medianRatio(
  measurements: Measurement[],
  kind: ServerKind,
  other: ServerKind,
  route: string,
  value: (m: Measurement) => number,
): number {
  const mine = measurements.filter((m) => m.kind === kind && m.route === route);
  const ratios = mine.flatMap((m) => {
    const base = measurements.find((c) => c.kind === other && c.route === route && c.round === m.round);
    return base ? [value(m) / value(base)] : [];
  });
  return ratios.length ? median(ratios) : Number.NaN;
}

const rpsOf = (m: Measurement): number => m.rps;
/** Inverse CPU per request, so that a ratio above 1 means cheaper, like a throughput ratio. */
const cpuSpeedOf = (m: Measurement): number => 1 / m.cpuUsPerRequest;

function hitRateCell(mine: Measurement[]): string {
  const rates = mine.flatMap((m) => (m.hitRate === null ? [] : [m.hitRate]));
  return rates.length ? `${(median(rates) * 100).toFixed(1)}%` : '–';
}

function httpTable(measurements: Measurement[], kinds: ServerKind[]): string {
  const lines = [
    '| app | route | req/s | ratio to ceiling | p99 ms | CPU µs/request | CPU ratio to ceiling | errors | cache hit rate |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const route of ROUTES) {
    for (const kind of kinds) {
      const mine = measurements.filter((m) => m.kind === kind && m.route === route);
      if (mine.length === 0) continue;
      // Ratios per round against the ceiling of the same platform and round, then the median over rounds.
      const ceiling = ceilingOf(kind);
      lines.push(
        `| ${kind} | ${route} | ${Math.round(median(mine.map((m) => m.rps)))} | ${medianRatio(measurements, kind, ceiling, route, rpsOf).toFixed(2)} | ${median(mine.map((m) => m.p99)).toFixed(1)} | ${median(mine.map((m) => m.cpuUsPerRequest)).toFixed(1)} | ${medianRatio(measurements, kind, ceiling, route, cpuSpeedOf).toFixed(2)} | ${mine.reduce((sum, m) => sum + m.non2xx, 0)} | ${hitRateCell(mine)} |`,
      );
    }
  }
  return lines.join('\n');
}

interface Target {
  issue: string;
  what: string;
  measured: number;
  goal: number;
  /** 'at most': met when the measurement is at or below the goal (default: at least). */
  direction?: 'at most';
}

/** The speed targets of the request-path (#13), Fastify (#12) and encrypted cookie (#15) issues, measured in this run. */
function targets(measurements: Measurement[], kinds: ServerKind[], codec: CodecResult[]): Target[] {
  const has = (...needed: ServerKind[]) => needed.every((kind) => kinds.includes(kind));
  const list: Target[] = [];
  const cpu = (kind: ServerKind, other: ServerKind, route: string) =>
    medianRatio(measurements, kind, other, route, cpuSpeedOf);
  const rps = (kind: ServerKind, other: ServerKind, route: string) =>
    medianRatio(measurements, kind, other, route, rpsOf);
  if (has('nest-flask-session-cookie')) {
    list.push({
      issue: '#13',
      what: 'default, /read, CPU ratio to bare Nest (Express)',
      measured: cpu('nest-flask-session-cookie', 'nest-bare', '/read'),
      goal: 0.75,
    });
    list.push({
      issue: '#13',
      what: 'default, /hit, CPU ratio to bare Nest (Express)',
      measured: cpu('nest-flask-session-cookie', 'nest-bare', '/hit'),
      goal: 0.65,
    });
  }
  if (has('nest-flask-session-cookie-no-interceptor')) {
    list.push({
      issue: '#13',
      what: 'interceptor: false, /read, CPU ratio to bare Nest',
      measured: cpu('nest-flask-session-cookie-no-interceptor', 'nest-bare', '/read'),
      goal: 0.82,
    });
    list.push({
      issue: '#13',
      what: 'interceptor: false, /hit, CPU ratio to bare Nest',
      measured: cpu('nest-flask-session-cookie-no-interceptor', 'nest-bare', '/hit'),
      goal: 0.72,
    });
  }
  for (const route of SINGLE_ROUTES) {
    if (has('nest-flask-session-cookie', 'nest-cookie-session')) {
      list.push({
        issue: '#13',
        what: `default vs Nest + cookie-session, ${route}, CPU ratio (>1: ahead)`,
        measured: cpu('nest-flask-session-cookie', 'nest-cookie-session', route),
        goal: 1,
      });
    }
    if (has('nest-flask-session-redis', 'nest-express-session-redis')) {
      list.push({
        issue: '#13',
        what: `Redis vs Nest + express-session + connect-redis, ${route}, CPU ratio`,
        measured: cpu('nest-flask-session-redis', 'nest-express-session-redis', route),
        goal: 1,
      });
    }
    if (has('nest-flask-session-flask-redis', 'nest-express-session-redis')) {
      list.push({
        issue: '#18',
        what: `Flask-Session Redis vs Nest + express-session + connect-redis, ${route}, CPU ratio`,
        measured: cpu('nest-flask-session-flask-redis', 'nest-express-session-redis', route),
        goal: 1,
      });
    }
    if (has('nest-flask-session-flask-redis', 'nest-flask-session-redis')) {
      // Flask-Session sessions are permanent by default, so a read also refreshes the TTL (EXPIRE) and re-sends the
      // cookie, where the Redis interface's non-permanent session costs one GET: /read does more work by design.
      const what =
        route === '/read'
          ? 'Flask-Session Redis vs our Redis interface, /read (GET + EXPIRE + cookie vs GET), CPU ratio'
          : `Flask-Session Redis vs our Redis interface, ${route}, CPU ratio`;
      list.push({
        issue: '#18',
        what,
        measured: cpu('nest-flask-session-flask-redis', 'nest-flask-session-redis', route),
        goal: route === '/read' ? 0.7 : 0.9,
      });
    }
  }
  if (has('nest-flask-session-cookie', 'nest-express-session')) {
    list.push({
      issue: '#13',
      what: 'default vs Nest + express-session, /read, CPU ratio',
      measured: cpu('nest-flask-session-cookie', 'nest-express-session', '/read'),
      goal: 1,
    });
  }
  const ours = codec.find((r) => r.name.startsWith('nest-flask-session ('));
  const flask = codec.find((r) => r.name.startsWith("Flask's"));
  if (ours?.smallOps && flask?.smallOps)
    list.push({
      issue: '#13',
      what: "codec, login session, dumps + loads vs Flask's",
      measured: ours.smallOps / flask.smallOps,
      goal: 2,
    });
  const fastifyGoals: Array<[ServerKind, string, number]> = [
    ['fastify-nest-flask-session-cookie', '/read', 0.8],
    ['fastify-nest-flask-session-cookie', '/hit', 0.75],
    ['fastify-nest-flask-session-cookie-no-interceptor', '/read', 0.95],
    ['fastify-nest-flask-session-cookie-no-interceptor', '/hit', 0.85],
  ];
  for (const [kind, route, goal] of fastifyGoals) {
    if (has(kind, 'fastify-nest-secure-session')) {
      const label = kind.endsWith('-no-interceptor') ? 'interceptor: false' : 'default';
      list.push({
        issue: '#12',
        what: `Fastify, ${label}, ${route}, req/s ratio to Nest + @fastify/secure-session`,
        measured: rps(kind, 'fastify-nest-secure-session', route),
        goal,
      });
    }
  }
  for (const [encrypted, signed, platform] of [
    ['nest-flask-session-encrypted', 'nest-flask-session-cookie', 'Express'],
    ['fastify-nest-flask-session-encrypted', 'fastify-nest-flask-session-cookie', 'Fastify'],
  ] as Array<[ServerKind, ServerKind, string]>) {
    for (const route of SINGLE_ROUTES) {
      if (has(encrypted, signed))
        list.push({
          issue: '#15',
          what: `encrypted vs signed cookies, ${platform}, ${route}, req/s ratio`,
          measured: rps(encrypted, signed, route),
          goal: 0.9,
        });
    }
  }
  const encrypted = codec.find((r) => r.name.startsWith('nest-flask-session encrypted'));
  const secureSession = codec.find((r) => r.name.startsWith('@fastify/secure-session'));
  const iron = codec.find((r) => r.name.startsWith('iron-session'));
  if (encrypted?.smallOps && secureSession?.smallOps)
    list.push({
      issue: '#15',
      what: 'codec, login session, encrypted seal + open vs @fastify/secure-session',
      measured: encrypted.smallOps / secureSession.smallOps,
      goal: 0.6,
    });
  if (encrypted?.smallOps && iron?.smallOps)
    list.push({
      issue: '#15',
      what: 'codec, login session, encrypted seal + open vs iron-session',
      measured: encrypted.smallOps / iron.smallOps,
      goal: 20,
    });
  return list;
}

function targetTable(list: Target[]): string {
  const lines = ['| issue | target | measured | goal | met |', '| --- | --- | ---: | ---: | --- |'];
  for (const t of list)
    lines.push(
      `| ${t.issue} | ${t.what} | ${t.measured.toFixed(2)} | ${t.direction === 'at most' ? '≤' : '≥'} ${t.goal.toFixed(2)} | ${(t.direction === 'at most' ? t.measured <= t.goal : t.measured >= t.goal) ? 'met' : 'missed'} |`,
    );
  return lines.join('\n');
}

function codecTable(results: CodecResult[]): string {
  const flask = results.find((r) => r.name.startsWith("Flask's"));
  const fmt = (ops: number | null) => (ops === null ? '–' : Math.round(ops).toLocaleString('en-US'));
  const ratio = (ops: number | null, base: number | null | undefined) => (ops && base ? (ops / base).toFixed(1) : '–');
  const lines = [
    '| codec (dumps + loads, or seal + open) | ops/s, login session | ratio to Flask | ops/s, ~2 KB session | ratio to Flask |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results)
    lines.push(
      `| ${r.name} | ${fmt(r.smallOps)} | ${ratio(r.smallOps, flask?.smallOps)} | ${fmt(r.largeOps)} | ${ratio(r.largeOps, flask?.largeOps)} |`,
    );
  return lines.join('\n');
}

interface HeapResult {
  platform: string;
  iface: string;
  growthMb: number | null;
  seconds: number | null;
}

/** bench/heap.ts for one platform and interface, in a child process with --expose-gc. */
function runHeap(platform: string, iface: string, redisUrl: string | undefined): HeapResult {
  const run = spawnSync(process.execPath, ['--expose-gc', HEAP_SCRIPT], {
    env: {
      ...process.env,
      HEAP_PLATFORM: platform,
      HEAP_INTERFACE: iface,
      HEAP_JSON: '1',
      REQUESTS: String(HEAP_REQUESTS),
      HEAP_LIMIT_MB: String(Number.MAX_SAFE_INTEGER),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
  const last = run.stdout?.trim().split('\n').at(-1);
  try {
    const parsed = JSON.parse(last ?? '') as { growthMb: number; seconds: number };
    return { platform, iface, growthMb: parsed.growthMb, seconds: parsed.seconds };
  } catch {
    return { platform, iface, growthMb: null, seconds: null };
  }
}

function heapTable(results: HeapResult[]): string {
  const lines = [
    `| platform | interface | heap growth after warm-up, ${HEAP_REQUESTS.toLocaleString('en-US')} requests (MB) | seconds |`,
    '| --- | --- | ---: | ---: |',
  ];
  for (const r of results)
    lines.push(
      `| ${r.platform} | ${r.iface} | ${r.growthMb === null ? 'failed' : r.growthMb.toFixed(2)} | ${r.seconds === null ? '–' : r.seconds.toFixed(1)} |`,
    );
  return lines.join('\n');
}

/** The targets of the third request-path issue (#27), measured in this run. */
function requestPathTargets(measurements: Measurement[], kinds: ServerKind[], heap: HeapResult[]): Target[] {
  const has = (...needed: ServerKind[]) => needed.every((kind) => kinds.includes(kind));
  const cpu = (kind: ServerKind, other: ServerKind, route: string) =>
    medianRatio(measurements, kind, other, route, cpuSpeedOf);
  const rps = (kind: ServerKind, other: ServerKind, route: string) =>
    medianRatio(measurements, kind, other, route, rpsOf);
  const list: Target[] = [];
  const fastify: Array<[ServerKind, string, number]> = [
    ['fastify-nest-flask-session-cookie-no-interceptor', '/read', 1],
    ['fastify-nest-flask-session-cookie-no-interceptor', '/hit', 0.66],
    ['fastify-nest-flask-session-cookie', '/read', 0.85],
    ['fastify-nest-flask-session-cookie', '/hit', 0.55],
  ];
  for (const [kind, route, goal] of fastify)
    if (has(kind, 'fastify-nest-secure-session'))
      list.push({
        issue: '#27',
        what: `Fastify, ${kind.endsWith('-no-interceptor') ? 'interceptor: false' : 'default'}, ${route}, req/s ratio to Nest + @fastify/secure-session`,
        measured: rps(kind, 'fastify-nest-secure-session', route),
        goal,
      });
  const express: Array<[ServerKind, string, number]> = [
    ['nest-flask-session-cookie-no-interceptor', '/read', 0.8],
    ['nest-flask-session-cookie-no-interceptor', '/hit', 0.55],
    ['nest-flask-session-cookie', '/read', 0.68],
    ['nest-flask-session-cookie', '/hit', 0.47],
  ];
  for (const [kind, route, goal] of express)
    if (has(kind))
      list.push({
        issue: '#27',
        what: `Express, ${kind.endsWith('-no-interceptor') ? 'interceptor: false' : 'default'}, ${route}, CPU ratio to bare Nest`,
        measured: cpu(kind, 'nest-bare', route),
        goal,
      });
  if (has('nest-flask-session-cookie', 'nest-express-session'))
    list.push({
      issue: '#27',
      what: 'Express, default vs Nest + express-session, /read, CPU ratio (>1: ahead)',
      measured: cpu('nest-flask-session-cookie', 'nest-express-session', '/read'),
      goal: 1,
    });
  const plain: Array<[ServerKind, ServerKind, string, string, number]> = [
    ['nest-flask-session-cookie', 'nest-bare', 'Express', '/plain, no cookie', 0.97],
    ['fastify-nest-flask-session-cookie', 'fastify-nest-bare', 'Fastify', '/plain, no cookie', 0.97],
    ['nest-flask-session-cookie', 'nest-bare', 'Express', '/plain', 0.9],
    ['fastify-nest-flask-session-cookie', 'fastify-nest-bare', 'Fastify', '/plain', 0.8],
  ];
  for (const [kind, bare, platform, route, goal] of plain)
    if (has(kind))
      list.push({
        issue: '#27',
        what: `${platform}, route without @Session(), ${route === '/plain' ? 'login cookie sent' : 'no cookie'}, CPU ratio to bare Nest`,
        measured: cpu(kind, bare, route),
        goal,
      });
  for (const kind of kinds.filter((k) => isCookieApp(k) && !k.endsWith('-no-cache'))) {
    const off = `${kind}-no-cache` as ServerKind;
    if (!has(off)) continue;
    for (const route of ROUTES.filter((r) => r.endsWith(MANY_LABEL)))
      list.push({
        issue: '#27',
        what: `${kind}, ${route}: cache on vs off, CPU ratio (≥ 0.97: at most 3% slower)`,
        measured: cpu(kind, off, route),
        goal: 0.97,
      });
  }
  for (const r of heap)
    list.push({
      issue: '#27',
      what: `heap, ${r.platform}, ${r.iface}: growth after warm-up over ${HEAP_REQUESTS.toLocaleString('en-US')} requests, MB`,
      measured: r.growthMb ?? Number.NaN,
      goal: HEAP_LIMIT_MB,
      direction: 'at most',
    });
  return list;
}

async function main(): Promise<void> {
  const started = Date.now();
  let redis: RedisServer | undefined;
  // BENCH_APPS=a,b measures only those apps (and their platform's ceiling).
  const only = process.env.BENCH_APPS?.split(',').map((app) => app.trim());
  const wanted = (kind: ServerKind) =>
    !only || only.includes(kind) || only.some((app) => ceilingOf(app as ServerKind) === kind);
  const kinds: ServerKind[] = SERVER_KINDS.filter(wanted);
  const notes: string[] = [];
  if (redisInstalled) redis = await RedisServer.start();
  else {
    notes.push('redis-server is not installed (apt-get install redis-server): the Redis apps were skipped.');
    kinds.splice(0, kinds.length, ...kinds.filter((k) => !k.includes('redis')));
  }
  if (!HAS_TASKSET) notes.push('taskset unavailable or a single core: servers and load generator were not pinned.');
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

  const servers: Running[] = [];
  try {
    for (const kind of kinds) servers.push(await startServer(kind, redis?.url));
    // The many-sessions workload: each app signs its own cookies; the bare apps get the signed app's.
    for (const server of servers) {
      const { cookies } = await ask<{ cookies: string[] | null }>(server.child, `cookies:${MANY_SESSIONS}`);
      if (cookies) server.manyCookies = cookies;
    }
    for (const server of servers) {
      if (!isBare(server.kind)) continue;
      const signed =
        servers.find(
          (s) => s.kind === (server.kind.startsWith('fastify-') ? 'fastify-' : '') + 'nest-flask-session-cookie',
        ) ?? servers.find((s) => s.manyCookies);
      if (signed?.manyCookies) server.manyCookies = signed.manyCookies;
    }
    // A second of every load first, unrecorded: no round measures a server before its JIT warmed up.
    if (!TINY)
      for (const workload of WORKLOADS)
        for (const server of servers) {
          if (!workload.applies(server.kind) || (workload.cookie === 'many' && !server.manyCookies)) continue;
          await warmUp(server, workload);
        }
    const measurements: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const workload of WORKLOADS) {
        for (const server of servers) {
          if (!workload.applies(server.kind)) continue;
          if (workload.cookie === 'many' && !server.manyCookies) continue;
          measurements.push(await measure(server, workload, round));
          if (!TINY) process.stderr.write('.');
        }
      }
    }
    if (!TINY) process.stderr.write('\n');
    for (const server of servers) server.child.kill('SIGTERM');
    servers.length = 0;
    if (cookieDir) rmSync(cookieDir, { recursive: true, force: true });
    const heap: HeapResult[] = [];
    if (process.env.BENCH_HEAP !== '0') {
      for (const platform of HEAP_PLATFORMS)
        for (const iface of HEAP_INTERFACES) {
          if (iface.includes('redis') && !redis) continue;
          heap.push(runHeap(platform, iface, redis?.url));
          if (!TINY) process.stderr.write('h');
        }
    }
    const codec = await runCodecBenchmark(TINY ? 0.1 : 1);
    if (codec.flaskMissing) notes.push("/usr/bin/python3 with Flask is not available: Flask's codec was not measured.");

    const header = `Benchmark run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; ${ROUNDS} interleaved round(s) of ${SECONDS} s per app and route, ${CONNECTIONS} connections, load from ${LOAD === 'wrk' ? 'wrk (one thread)' : 'autocannon'}; servers pinned to core 1, load generator to core 0: ${HAS_TASKSET ? 'yes' : 'no'}.`;
    const report = [
      '## HTTP (median over rounds; ratios are against bare Nest on the same platform, measured in the same round)',
      '',
      header,
      '',
      httpTable(measurements, kinds),
      '',
      '## Targets',
      '',
      targetTable([...targets(measurements, kinds, codec.results), ...requestPathTargets(measurements, kinds, heap)]),
      '',
      ...(heap.length
        ? [`## Heap (bench/heap.ts, one process per platform and interface)`, '', heapTable(heap), '']
        : []),
      '## Codec',
      '',
      codecTable(codec.results),
      ...(notes.length ? ['', ...notes.map((note) => `- ${note}`)] : []),
      '',
      `Total time: ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      '',
    ].join('\n');
    console.log(report);
    mkdirSync(new URL('.', `file://${OUTPUT}`).pathname, { recursive: true });
    writeFileSync(OUTPUT, report);
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await redis?.stop();
  }
}

await main();
