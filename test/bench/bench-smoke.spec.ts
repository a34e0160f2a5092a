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
      timeout: 240000,
    });
    const report = readFileSync(output, 'utf8');
    const rows = report
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') &&
          !line.startsWith('| ---') &&
          !line.startsWith('| app') &&
          !line.startsWith('| codec'),
      );
    const httpRows = rows.filter((line) => / \/(hit|read) \|/.test(line));
    const apps = SERVER_KINDS.filter((kind) => !kind.includes('redis'));
    if (process.env.CI === 'true') apps.push(...SERVER_KINDS.filter((kind) => kind.includes('redis')));
    for (const app of apps) {
      for (const route of ['/hit', '/read'])
        expect(httpRows.some((line) => line.startsWith(`| ${app} | ${route} |`))).toBe(true);
    }
    for (const line of httpRows) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      expect(cells).toHaveLength(8);
      for (const cell of cells.slice(2)) expect(Number.isFinite(Number(cell))).toBe(true);
      expect(Number(cells[2])).toBeGreaterThan(0);
    }
    expect(rows.some((line) => line.startsWith('| nest-flask-session (URLSafeTimedSerializer'))).toBe(true);
    // Every target of the speed issues has a row saying whether it was met.
    const targetRows = rows.filter((line) => /^\| #1[235] \|/.test(line));
    expect(targetRows.length).toBeGreaterThanOrEqual(process.env.CI === 'true' ? 20 : 17);
    expect(targetRows.filter((line) => line.startsWith('| #15 |'))).toHaveLength(6);
    for (const line of targetRows) expect(line).toMatch(/\| (met|missed) \|$/);
    expect(rows.some((line) => line.startsWith('| @fastify/secure-session'))).toBe(true);
    expect(
      rows.some((line) => line.startsWith('| nest-flask-session encrypted (EncryptedCookieSessionInterface')),
    ).toBe(true);
    expect(rows.some((line) => line.startsWith('| iron-session'))).toBe(true);
  }, 300000);
});
