/**
 * Serializer: itsdangerous' own tests/test_itsdangerous/test_serializer.py, ported.
 */
import { TaggedJSONSerializer } from '../../lib/tagged-json/index.js';
import { Serializer } from '../../lib/itsdangerous/index.js';
import { testSerializer } from '../support/itsdangerous-suites.js';

describe('itsdangerous 2.2 tests/test_itsdangerous/test_serializer.py', () => {
  describe('TestSerializer', () => {
    testSerializer({
      factories: [
        ['Serializer', (options) => new Serializer('secret_key', options)],
        // Upstream's second param is `serializer=pickle`; the other serializer here is Flask's.
        [
          'Serializer-tagged',
          (options) => new Serializer('secret_key', { serializer: new TaggedJSONSerializer(), ...options }),
        ],
      ],
      values: [['value', { id: 42 }]],
    });
  });

  it('test_digests', () => {
    const factory = (signerOptions: ConstructorParameters<typeof Serializer>[1]) =>
      new Serializer('dev key', { salt: 'dev salt', ...signerOptions });
    const defaultValue = factory({ signerOptions: {} }).dumps([42]);
    const sha1Value = factory({ signerOptions: { digestMethod: 'sha1' } }).dumps([42]);
    const sha512Value = factory({ signerOptions: { digestMethod: 'sha512' } }).dumps([42]);
    expect(defaultValue).toBe(sha1Value);
    expect(sha1Value).toBe('[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM');
    expect(sha512Value).toBe(
      '[42].MKCz_0nXQqv7wKpfHZcRtJRmpT2T5uvs9YQsJEhJimqxc9bCLxG31QzS5uC8OVBI1i6jyOLAFNoKaF5ckO9L5Q',
    );
  });
});
