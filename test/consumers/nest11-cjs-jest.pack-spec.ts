import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest11-cjs-jest',
  nestMajor: 11,
  moduleSystem: 'commonjs',
  e2eMarker: /Tests:\s+9 passed, 9 total/,
  wishlist: true,
  otherResolution: ['--module', 'commonjs', '--moduleResolution', 'node10', '--resolvePackageJsonExports', 'false'],
});
