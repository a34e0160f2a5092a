/**
 * itsdangerous' error hierarchy (itsdangerous/exc.py): names, messages, exactly the ancestors
 * Python has, and the fields they carry (payload, dateSigned, the original error).
 */
import {
  BadData,
  BadHeader,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  SignatureExpired,
} from '../../lib/itsdangerous/index.js';

describe('error hierarchy (itsdangerous.exc)', () => {
  const cases = [
    ['BadData', new BadData('m'), [Error, BadData]],
    ['BadSignature', new BadSignature('m'), [Error, BadData, BadSignature]],
    ['BadTimeSignature', new BadTimeSignature('m'), [Error, BadData, BadSignature, BadTimeSignature]],
    ['SignatureExpired', new SignatureExpired('m'), [Error, BadData, BadSignature, BadTimeSignature, SignatureExpired]],
    ['BadHeader', new BadHeader('m'), [Error, BadData, BadSignature, BadHeader]],
    ['BadPayload', new BadPayload('m'), [Error, BadData, BadPayload]],
  ] as const;
  const all = [BadData, BadSignature, BadTimeSignature, SignatureExpired, BadHeader, BadPayload];

  it.each(cases)('%s: name, message and exactly its ancestors', (name, error, ancestors) => {
    expect(error.name).toBe(name);
    expect(error.message).toBe('m');
    expect(String(error)).toBe(`${name}: m`);
    expect(error.stack).toContain(name);
    for (const cls of all) expect(error instanceof cls).toBe((ancestors as readonly unknown[]).includes(cls));
  });

  it('BadSignature carries the unverified payload (null when the value could not be split)', () => {
    expect(new BadSignature('m').payload).toBeNull();
    expect(new BadSignature('m', Buffer.from('abc')).payload?.toString()).toBe('abc');
  });

  it('BadTimeSignature and SignatureExpired also carry dateSigned', () => {
    const date = new Date(1700000000 * 1000);
    const bad = new BadTimeSignature('m', Buffer.from('v'), date);
    expect(bad.payload?.toString()).toBe('v');
    expect(bad.dateSigned).toBe(date);
    expect(new BadTimeSignature('m').dateSigned).toBeNull();
    const expired = new SignatureExpired('m', Buffer.from('v'), date);
    expect(expired.dateSigned).toBe(date);
    expect(expired.payload?.toString()).toBe('v');
  });

  it('BadPayload carries the original error, also as the standard `cause`', () => {
    const original = new SyntaxError('Unexpected end of JSON input');
    const error = new BadPayload('m', original);
    expect(error.originalError).toBe(original);
    expect(error.cause).toBe(original);
    expect(new BadPayload('m').originalError).toBeNull();
  });
});
