/**
 * keepSessionHeaders: the arguments of `writeHead(status[, message][, headers])` with the
 * session's `Set-Cookie` lines and `Vary` fields kept, as Node's own `writeHead` would replace
 * them (node/lib/_http_server.js: object headers are set one by one, list headers replace each
 * name given).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { keepSessionHeaders, type WrittenSessionHeaders } from '../../lib/http/index.js';

const SESSION: WrittenSessionHeaders = { setCookies: ['session=abc; HttpOnly; Path=/'], varyFields: ['Cookie'] };

/** The headers a real response holds after the session set its own and `writeHead(...args)` ran. */
function sent(args: unknown[], written: WrittenSessionHeaders = SESSION): Record<string, unknown> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  if (written.setCookies.length) res.setHeader('Set-Cookie', [...written.setCookies]);
  if (written.varyFields.length) res.setHeader('Vary', written.varyFields.join(', '));
  (res.writeHead as (...a: unknown[]) => unknown)(...keepSessionHeaders(args, written));
  return res.getHeaders();
}

describe('keepSessionHeaders', () => {
  it('leaves calls without Set-Cookie or Vary, or when the session wrote nothing, as they are', () => {
    const plain = [200, { 'Content-Type': 'text/plain' }];
    expect(keepSessionHeaders(plain, SESSION)).toBe(plain);
    const noHeaders = [204];
    expect(keepSessionHeaders(noHeaders, SESSION)).toBe(noHeaders);
    const nothing = [200, { 'Set-Cookie': 'a=1' }];
    expect(keepSessionHeaders(nothing, { setCookies: [], varyFields: [] })).toBe(nothing);
    expect(sent(plain)['set-cookie']).toEqual(SESSION.setCookies);
  });

  it("object headers: the session's cookie first, then the call's; its Vary field added once", () => {
    const headers = sent([200, { 'Set-Cookie': ['a=1', 'b=2'], Vary: 'Accept' }]);
    expect(headers['set-cookie']).toEqual(['session=abc; HttpOnly; Path=/', 'a=1', 'b=2']);
    expect(headers.vary).toBe('Accept, Cookie');
    expect(sent([200, { vary: 'cookie' }]).vary).toBe('cookie');
    expect(sent([200, { vary: '*' }]).vary).toBe('*');
  });

  it('object headers naming Set-Cookie in several cases: the last counts, as in Node, and the session is kept', () => {
    const headers = sent([200, { 'set-cookie': 'dropped=1', 'Set-Cookie': 'kept=1' }]);
    expect(headers['set-cookie']).toEqual(['session=abc; HttpOnly; Path=/', 'kept=1']);
  });

  it('a call that repeats the session cookie sends it once', () => {
    expect(sent([200, { 'Set-Cookie': ['x=1', ...SESSION.setCookies] }])['set-cookie']).toEqual([
      'x=1',
      'session=abc; HttpOnly; Path=/',
    ]);
  });

  it('a status message before the headers', () => {
    const args = keepSessionHeaders([200, 'Fine', { 'Set-Cookie': 'a=1' }], SESSION);
    expect(args.slice(0, 2)).toEqual([200, 'Fine']);
    expect(args[2]).toEqual({ 'Set-Cookie': ['session=abc; HttpOnly; Path=/', 'a=1'] });
  });

  it('flat list headers: each name folded into one pair, so Node 20 (last pair wins) and later (all appended) send them all', () => {
    const args = keepSessionHeaders(
      [200, ['Set-Cookie', 'a=1', 'X-Other', 'o', 'set-cookie', 'b=2', 'Vary', 'Accept', 'vary', 'Origin']],
      SESSION,
    );
    expect(args[1]).toEqual([
      'Set-Cookie',
      ['session=abc; HttpOnly; Path=/', 'a=1', 'b=2'],
      'X-Other',
      'o',
      'Vary',
      'Accept, Origin, Cookie',
    ]);
    const headers = sent([200, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']]);
    expect(headers['set-cookie']).toEqual(['session=abc; HttpOnly; Path=/', 'a=1', 'b=2']);
  });
});
