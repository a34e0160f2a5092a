import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest12-esm-vitest',
  nestMajor: 12,
  moduleSystem: 'esm',
  e2eMarker: /Tests\s+3 passed \(3\)/,
  otherResolution: ['--module', 'esnext', '--moduleResolution', 'bundler'],
});
