/**
 * `npm run test:fast`, the inner loop: the unit suites and the e2e suites on both platforms,
 * without the legs that start other programs or build other apps (Redis topologies, Chromium,
 * Python/Flask interop, the packed-tarball consumers, the benchmark smoke run, README snippets).
 * `npm test` still runs everything.
 */
import base from './jest.config.js';

export default {
  ...base,
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '\\.topology-spec\\.ts$',
    '<rootDir>/test/browser/',
    '<rootDir>/test/interop/',
    '<rootDir>/test/bench/',
    '<rootDir>/test/readme/',
    '<rootDir>/test/docs/',
  ],
};
