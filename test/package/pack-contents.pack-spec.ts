/**
 * What `npm publish` would ship: both builds with their declarations, README, LICENSE and
 * package.json, and nothing else (no sources, tests, maps or tooling); and the package.json
 * fields a registry page and a bundler read.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
  scripts: Record<string, string>;
  engines: Record<string, string>;
  repository: { type: string; url: string };
};

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path).sort();
}

/** Every module of lib/ (its .ts files, not hand-written .d.ts), as a path without extension. */
function libModules(): string[] {
  return readdirSync(join(ROOT, 'lib'), { recursive: true })
    .map(String)
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .map((path) => path.slice(0, -'.ts'.length));
}

it('ships both builds, their declarations, README, LICENSE and package.json, and nothing else', () => {
  const expected = [
    'LICENSE',
    'README.md',
    'package.json',
    'dist/cjs/package.json',
    ...['cjs', 'esm'].flatMap((format) =>
      libModules().flatMap((module) => [`dist/${format}/${module}.js`, `dist/${format}/${module}.d.ts`]),
    ),
  ].sort();
  expect(packedFiles()).toEqual(expected);
});

it('marks dist/cjs as CommonJS and the package as ESM with no side effects', () => {
  expect(JSON.parse(readFileSync(join(ROOT, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  expect(pkg.type).toBe('module');
  expect(pkg.sideEffects).toBe(false);
});

it('has what a registry page and an installer read', () => {
  expect(pkg.license).toBe('MIT');
  expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
  expect(pkg.engines.node).toBe('>=20.19');
  expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${String(pkg.version)}`);
});

it('builds and runs every test before publishing', () => {
  expect(pkg.scripts.prepublishOnly).toBe('npm run build && npm test');
});

it('the build leaves no stale files behind (dist holds exactly what lib compiles to)', () => {
  const built = readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(join(ROOT, 'dist'), join(entry.parentPath, entry.name)));
  expect(built.length).toBe(libModules().length * 4 + 1);
});
