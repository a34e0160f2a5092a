/**
 * Loads the built package as a Node app would, by name through its exports map, once with
 * require() and once with import(), and reports what each gave. Also loads the two builds by path
 * (dist/cjs and dist/esm) to compare their exports. Run from the repository root (self-reference).
 * Prints one JSON object.
 */
'use strict';
require('reflect-metadata');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const ENTRIES = {
  '.': 'index.js',
  './itsdangerous': 'itsdangerous/public-api.js',
  './tagged-json': 'tagged-json/public-api.js',
  './testing': 'testing/index.js',
  './flask-login': 'flask-login/index.js',
  './csrf': 'csrf/index.js',
};
const shape = (ns) =>
  Object.fromEntries(
    Object.keys(ns)
      .filter((k) => k !== 'default' && k !== '__esModule')
      .sort()
      .map((k) => [k, typeof ns[k]]),
  );

async function main() {
  const root = join(__dirname, '../..');
  const report = { identical: {}, builds: {} };
  for (const [subpath, file] of Object.entries(ENTRIES)) {
    const specifier = `nest-flask-session${subpath.slice(1)}`;
    const required = require(specifier);
    const imported = await import(specifier);
    report.identical[subpath] = Object.keys(imported)
      .filter((k) => k !== 'default')
      .map((k) => [k, required[k] === imported[k]]);
    const cjs = require(join(root, 'dist/cjs', file));
    const esm = await import(pathToFileURL(join(root, 'dist/esm', file)).href);
    report.builds[subpath] = {
      cjs: shape(cjs),
      esm: shape(esm),
      sameClasses: cjs.SessionInterface === esm.SessionInterface,
    };
  }

  // One DI identity: a module wired up from require()'s SessionModule answers import()'s token.
  const { Test } = require('@nestjs/testing');
  const cjs = require('nest-flask-session');
  const esm = await import('nest-flask-session');
  const moduleRef = await Test.createTestingModule({
    imports: [cjs.SessionModule.forRoot({ SECRET_KEY: 'identity' })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const sessionInterface = app.get(esm.SessionInterface);
  report.di = {
    esmTokenFindsCjsProvider: sessionInterface instanceof esm.SecureCookieSessionInterface,
    sameProviderBothTokens: app.get(cjs.SessionInterface) === sessionInterface,
    sameConfigBothTokens: app.get(cjs.SESSION_CONFIG) === app.get(esm.SESSION_CONFIG),
  };
  await app.close();
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
