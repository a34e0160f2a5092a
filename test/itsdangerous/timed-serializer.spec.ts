/**
 * TimedSerializer: itsdangerous' own tests/test_itsdangerous/test_timed.py, ported.
 */
import { TimedSerializer, type TimedSerializerOptions } from '../../lib/itsdangerous/index.js';
import {
  freezeTime,
  testSerializer,
  testTimedSerializer,
  type SerializerSuiteParams,
} from '../support/itsdangerous-suites.js';

describe('itsdangerous 2.2 tests/test_itsdangerous/test_timed.py', () => {
  describe('TestTimedSerializer (TestSerializer rerun, then its own tests)', () => {
    const clock = freezeTime();
    const params: SerializerSuiteParams<TimedSerializer> = {
      factories: [
        ['TimedSerializer', (options) => new TimedSerializer('secret_key', options as TimedSerializerOptions)],
      ],
      values: [['value', { id: 42 }]],
    };
    testSerializer(params);
    testTimedSerializer(params, clock);
  });
});
