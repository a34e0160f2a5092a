import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest11-cjs-jest',
  nestMajor: 11,
  moduleSystem: 'commonjs',
  e2eMarker: /Tests:\s+10 passed, 10 total/,
  wishlist: true,
  otherResolution: ['--module', 'commonjs', '--moduleResolution', 'node10', '--resolvePackageJsonExports', 'false'],
});
