import { flash, getFlashedMessages } from '../../lib/flash/index.js';
import { Markup, sessionJsonSerializer, Tuple } from '../../lib/tagged-json/index.js';
import { SecureCookieSession, type SessionData } from '../../lib/sessions/index.js';

describe('flash()', () => {
  it("appends (category, message) Tuples to _flashes, 'message' by default, and marks the session modified", () => {
    const session = new SecureCookieSession();
    flash(session, 'one');
    flash(session, new Markup('<b>two</b>'), 'error');
    expect(session.modified).toBe(true);
    expect(session.get('_flashes')).toEqual([
      Tuple.of('message', 'one'),
      Tuple.of<string | Markup>('error', new Markup('<b>two</b>')),
    ]);
    expect(sessionJsonSerializer.dumps(session.toJSON())).toBe(
      '{"_flashes":[{" t":["message","one"]},{" t":["error",{" m":"<b>two</b>"}]}]}',
    );
  });

  it('replaces a _flashes value that is not a list', () => {
    const session = new SecureCookieSession<SessionData>({ _flashes: 'junk' });
    flash(session, 'one');
    expect(session.get('_flashes')).toEqual([Tuple.of('message', 'one')]);
  });
});

describe('getFlashedMessages()', () => {
  const stored = () =>
    new SecureCookieSession<SessionData>({
      _flashes: [Tuple.of('message', 'hi'), Tuple.of('error', 'bad'), Tuple.of('warning', 'careful')],
    });

  it('pops _flashes once per request: later calls with the same session return the same messages', () => {
    const session = stored();
    expect(getFlashedMessages(session)).toEqual(['hi', 'bad', 'careful']);
    expect(session.has('_flashes')).toBe(false);
    expect(session.modified).toBe(true);
    expect(getFlashedMessages(session, { withCategories: true })).toEqual([
      Tuple.of('message', 'hi'),
      Tuple.of('error', 'bad'),
      Tuple.of('warning', 'careful'),
    ]);
    // The next request has another session object: nothing left.
    expect(getFlashedMessages(new SecureCookieSession(session))).toEqual([]);
  });

  it('filters by category, with or without categories', () => {
    expect(getFlashedMessages(stored(), { categoryFilter: ['error', 'warning'] })).toEqual(['bad', 'careful']);
    expect(getFlashedMessages(stored(), { withCategories: true, categoryFilter: ['error'] })).toEqual([
      Tuple.of('error', 'bad'),
    ]);
  });

  it('leaves a session without _flashes unmodified', () => {
    const session = new SecureCookieSession<SessionData>({ a: 1 });
    expect(getFlashedMessages(session)).toEqual([]);
    expect(session.modified).toBe(false);
  });

  it('skips entries that are not (category, message) pairs', () => {
    const session = new SecureCookieSession<SessionData>({
      _flashes: [Tuple.of('ok', 'kept'), 'loose', [1, 'x'], Tuple.of('a', 'b', 'c'), Tuple.of<unknown>('n', 5)],
    });
    expect(getFlashedMessages(session, { withCategories: true })).toEqual([Tuple.of('ok', 'kept')]);
  });
});
