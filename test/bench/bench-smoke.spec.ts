/**
 * Smoke test of `npm run bench`: the harness runs in tiny mode (about a second per app and
 * route) and must produce a well-formed table with a row per app and route. No timing is
 * asserted: speed lives in `npm run bench`, never in tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_KINDS } from '../../bench/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run bench (tiny mode)', () => {
  it('runs every app and codec and writes a well-formed Markdown table', () => {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.bench.json')],
      { stdio: 'inherit' },
    );
    const output = join(mkdtempSync(join(tmpdir(), 'bench-')), 'latest.md');
    execFileSync(process.execPath, [join(ROOT, '.bench-dist/bench/run.js')], {
      env: { ...process.env, BENCH_TINY: '1', BENCH_OUTPUT: output },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 420000,
    });
    const report = readFileSync(output, 'utf8');
    // CI installs wrk (.ci/run): there the bench must run on it, not fall back to autocannon.
    if (process.env.CI === 'true') expect(report).toContain('load from wrk (one thread)');
    const rows = report
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') &&
          !line.startsWith('| ---') &&
          !line.startsWith('| app') &&
          !line.startsWith('| codec'),
      );
    const httpRows = rows.filter((line) => /^\| [a-z-]+ \| \/(hit|read|plain)(, [^|]+)? \|/.test(line));
    const apps = SERVER_KINDS.filter((kind) => !kind.includes('redis'));
    if (process.env.CI === 'true') apps.push(...SERVER_KINDS.filter((kind) => kind.includes('redis')));
    for (const app of apps) {
      for (const route of ['/hit', '/read'])
        expect(httpRows.some((line) => line.startsWith(`| ${app} | ${route} |`))).toBe(true);
    }
    // The route without @Session(), with and without the cookie, in every app importing the module and the ceilings.
    for (const app of apps.filter((kind) => kind.includes('flask-session') || kind.endsWith('nest-bare')))
      for (const route of ['/plain', '/plain, no cookie'])
        expect(httpRows.some((line) => line.startsWith(`| ${app} | ${route} |`))).toBe(true);
    // The many-sessions workload beside the single-cookie rows, with the cache's hit rate for our cookie apps.
    for (const app of [
      'nest-flask-session-cookie',
      'fastify-nest-flask-session-encrypted',
      'nest-floor',
      'fastify-nest-bare',
    ])
      for (const route of ['/read', '/hit'])
        expect(httpRows.some((line) => line.startsWith(`| ${app} | ${route}, 300 sessions |`))).toBe(true);
    for (const line of httpRows) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      expect(cells).toHaveLength(9);
      for (const cell of cells.slice(2, 8)) expect(Number.isFinite(Number(cell))).toBe(true);
      expect(Number(cells[2])).toBeGreaterThan(0);
      // A hit rate for the apps with a cache, wherever they open sessions; none for the rest.
      if (!/flask-session-(cookie|encrypted)(-no-interceptor)?$/.test(cells[0]!)) expect(cells[8]).toBe('–');
      else if (cells[1]!.startsWith('/plain')) expect(cells[8]).toMatch(/^(\d+\.\d%|–)$/);
      else expect(cells[8]).toMatch(/^\d+\.\d%$/);
    }
    // Heap over the requests for each platform and interface.
    const heapRows = rows.filter((line) => /^\| (express|fastify) \| /.test(line));
    expect(heapRows.length).toBe(process.env.CI === 'true' ? 8 : heapRows.length);
    for (const platform of ['express', 'fastify'])
      for (const iface of ['cookie', 'encrypted'])
        expect(heapRows.some((line) => new RegExp(`^\\| ${platform} \\| ${iface} \\| -?\\d`).test(line))).toBe(true);
    expect(rows.some((line) => line.startsWith('| nest-flask-session (URLSafeTimedSerializer'))).toBe(true);
    // Every target of the speed issues has a row saying whether it was met.
    const targetRows = rows.filter((line) => /^\| #(1[235]|27) \|/.test(line));
    expect(targetRows.filter((line) => line.startsWith('| #27 |')).length).toBeGreaterThanOrEqual(
      process.env.CI === 'true' ? 28 : 24,
    );
    expect(targetRows.length).toBeGreaterThanOrEqual(process.env.CI === 'true' ? 20 : 17);
    expect(targetRows.filter((line) => line.startsWith('| #15 |'))).toHaveLength(6);
    for (const line of targetRows) expect(line).toMatch(/\| (met|missed) \|$/);
    expect(rows.some((line) => line.startsWith('| @fastify/secure-session'))).toBe(true);
    expect(
      rows.some((line) => line.startsWith('| nest-flask-session encrypted (EncryptedCookieSessionInterface')),
    ).toBe(true);
    expect(rows.some((line) => line.startsWith('| iron-session'))).toBe(true);
  }, 480000);
});
