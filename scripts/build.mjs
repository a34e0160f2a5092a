/**
 * Builds the package twice from lib/: ES modules into dist/esm and CommonJS into dist/cjs, each
 * with its own declarations. dist/cjs gets a package.json marking its .js files as CommonJS (the
 * root package is "type": "module"), for Node and for TypeScript's node16/nodenext resolution.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.build.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
