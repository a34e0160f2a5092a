/**
 * URLSafeSerializer: itsdangerous' own tests/test_itsdangerous/test_url_safe.py, ported.
 */
import { URLSafeSerializer } from '../../lib/itsdangerous/index.js';
import { testSerializer } from '../support/itsdangerous-suites.js';

describe('itsdangerous 2.2 tests/test_itsdangerous/test_url_safe.py', () => {
  describe('TestURLSafeSerializer (TestSerializer rerun with its own values)', () => {
    testSerializer({
      factories: [['URLSafeSerializer', (options) => new URLSafeSerializer('secret-key', options)]],
      values: [
        ['value', { id: 42 }],
        ['zlib', 'a'.repeat(1000)],
      ],
    });
  });
});
