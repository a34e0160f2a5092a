import { describeConsumer } from '../support/consumer-suite.js';

describeConsumer({
  template: 'nest12-esm-jest',
  nestMajor: 12,
  moduleSystem: 'esm',
  e2eMarker: /Tests:\s+3 passed, 3 total/,
  otherResolution: ['--module', 'esnext', '--moduleResolution', 'bundler'],
});
