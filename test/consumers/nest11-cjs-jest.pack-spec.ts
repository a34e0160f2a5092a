import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest11-cjs-jest',
  nestMajor: 11,
  moduleSystem: 'commonjs',
  e2eMarker: /Tests:\s+3 passed, 3 total/,
  otherResolution: ['--module', 'commonjs', '--moduleResolution', 'node10', '--resolvePackageJsonExports', 'false'],
});
