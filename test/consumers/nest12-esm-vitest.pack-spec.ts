import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest12-esm-vitest',
  nestMajor: 12,
  moduleSystem: 'esm',
  e2eMarker: /Tests\s+9 passed \(9\)/,
  wishlist: true,
  otherResolution: ['--module', 'esnext', '--moduleResolution', 'bundler'],
});
