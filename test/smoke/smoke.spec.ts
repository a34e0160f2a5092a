/**
 * The toolchain runs ESM TypeScript tests and node:crypto gives HMAC-SHA1 as Python's hmac does.
 */
import { createHmac } from 'node:crypto';
describe('toolchain', () => {
  it('runs ESM TypeScript tests', () => {
    expect(createHmac('sha1', 'test key').update('cookie-session').digest('hex')).toBe(
      'c2ca59dd645bc867d0f03c34ddfc7f9cdac7e05a',
    );
  });
});
