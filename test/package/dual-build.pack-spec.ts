/**
 * The built package (npm run build) as Node loads it: the CommonJS and ES module builds export
 * the same names with the same kinds, and require() and import() of the package name give one
 * identity per export (the exports map's "module-sync" condition sends both to the ES build),
 * so the SessionInterface DI token is one token however an app loads the package.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Report {
  identical: Record<string, Array<[string, boolean]>>;
  builds: Record<string, { cjs: Record<string, string>; esm: Record<string, string>; sameClasses: boolean }>;
  di: Record<string, boolean>;
}

let report: Report;

beforeAll(() => {
  const out = execFileSync(process.execPath, [join(ROOT, 'test/package/load-both.cjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  report = JSON.parse(out) as Report;
});

describe.each(['.', './itsdangerous', './tagged-json', './testing', './flask-login', './csrf'])('entry %s', (entry) => {
  it('exports the same names, each of the same kind, from the CommonJS and ES builds', () => {
    const { cjs, esm } = report.builds[entry]!;
    expect(Object.keys(esm).length).toBeGreaterThan(1);
    expect(cjs).toEqual(esm);
  });

  it('gives require() and import() the very same objects', () => {
    const pairs = report.identical[entry]!;
    expect(pairs.length).toBe(Object.keys(report.builds[entry]!.esm).length);
    expect(pairs.filter(([, same]) => !same).map(([name]) => name)).toEqual([]);
  });
});

it('the root entry stays small: at most 50 run-time names, none of them an internal', () => {
  const names = Object.keys(report.builds['.']!.esm);
  expect(names.length).toBeLessThanOrEqual(50);
  for (const internal of [
    'pythonFloatRepr',
    'bytesToInt',
    'NodeSessionRequest',
    'serializeSetCookie',
    'deflate',
    'inflate',
  ]) {
    expect(names).not.toContain(internal);
  }
});

it('the two builds are distinct copies, so loading them by path would split identities (what the exports map prevents)', () => {
  expect(report.builds['.']!.sameClasses).toBe(false);
});

it('a module wired from require() answers import()’s SessionInterface and SESSION_CONFIG tokens', () => {
  expect(report.di).toEqual({
    esmTokenFindsCjsProvider: true,
    sameProviderBothTokens: true,
    sameConfigBothTokens: true,
  });
});

it('the CommonJS and ES builds carry identical declarations', () => {
  const files = [
    'index.d.ts',
    'itsdangerous/public-api.d.ts',
    'tagged-json/public-api.d.ts',
    'testing/index.d.ts',
    'flask-login/index.d.ts',
    'csrf/index.d.ts',
    'session.module.d.ts',
    'sessions/session.interface.d.ts',
  ];
  for (const file of files) {
    expect(readFileSync(join(ROOT, 'dist/cjs', file), 'utf8')).toBe(readFileSync(join(ROOT, 'dist/esm', file), 'utf8'));
  }
});
