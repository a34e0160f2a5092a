/**
 * Tests of the built and packed package (run by `npm run test:package` after `npm run build`):
 * no mapping of `nest-flask-session` to the sources, so it resolves through package.json's exports.
 */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test/package', '<rootDir>/test/consumers'],
  testMatch: ['**/*.pack-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
