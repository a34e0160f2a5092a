/**
 * wrk (Debian's `wrk`) as the load generator: written in C, one thread on the load core outruns
 * every server here, so a fast server is measured saturated (autocannon, in Node, tops out near
 * 11,000 requests per second on this machine's core, below bare Nest on Fastify, and a server it
 * cannot saturate pays idle wake-ups in its CPU per request). `npm run bench` uses it when it is
 * installed; BENCH_LOAD=autocannon picks autocannon anyway.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CYCLE_SCRIPT = fileURLToPath(new URL('../../bench/cycle-cookies.lua', import.meta.url));

export const wrkInstalled = spawnSync('wrk', ['--version']).error === undefined;

export interface WrkRun {
  url: string;
  connections: number;
  seconds: number;
  /** A `Cookie` header every request sends. */
  cookie?: string;
  /** A file of `Cookie` header values, one per line, for the many-sessions workload ({@link writeCookieFile}). */
  cookieFile?: string;
}

export interface WrkResult {
  rps: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx plus socket errors. */
  errors: number;
}

export function writeCookieFile(path: string, cookies: readonly string[]): string {
  writeFileSync(path, cookies.join('\n') + '\n');
  return path;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

/** Reads wrk's report (with `--latency`). */
export function parseWrkOutput(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rps) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps: Number(rps[1]),
    p99Ms: p99 ? Number(p99[1]) * UNIT_MS[p99[2]!]! : NaN,
    errors: Number(non2xx?.[1] ?? 0) + socketErrors,
  };
}

export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency'];
  if (run.cookie) args.push('-H', `Cookie: ${run.cookie}`);
  if (run.cookieFile) args.push('-s', CYCLE_SCRIPT);
  args.push(run.url);
  const env = { ...process.env, BENCH_COOKIES: run.cookieFile ?? '', BENCH_LANES: String(run.connections) };
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wrk failed: ${error.message}\n${stderr}`));
      else resolve(parseWrkOutput(stdout));
    });
  });
}
