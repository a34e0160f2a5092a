/** Jest 30 + ts-jest in ESM mode: run through `npm test` (node --experimental-vm-modules). */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test'],
  // *.topology-spec.ts: real Redis Cluster and Sentinel failovers, run here only (not in the Nest 11 leg).
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.topology-spec.ts'],
  // The consumer-app templates are tested from the packed tarball by `npm run test:package`, and
  // test/nest11 by the Nest 11 leg (`npm run test:nest11`, nest11/jest.config.js).
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/consumers/templates/',
    '<rootDir>/test/nest11/',
    '<rootDir>/test/docs/.snippets/',
  ],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Tests and the sample import the package by name; map it to the TypeScript source.
    '^nest-flask-session$': '<rootDir>/lib/index.ts',
    '^nest-flask-session/itsdangerous$': '<rootDir>/lib/itsdangerous/public-api.ts',
    '^nest-flask-session/tagged-json$': '<rootDir>/lib/tagged-json/public-api.ts',
    '^nest-flask-session/testing$': '<rootDir>/lib/testing/index.ts',
    '^nest-flask-session/flask-login$': '<rootDir>/lib/flask-login/index.ts',
    '^nest-flask-session/csrf$': '<rootDir>/lib/csrf/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Fastify's inject() (light-my-request) require()s its own cookie 2, an ES module only, which
    // Jest cannot require() on Node 20: it gets the package's cookie 1, which has the same
    // stringifySetCookie().
    '^cookie$': '<rootDir>/node_modules/cookie/dist/index.js',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
