/**
 * The session objects of flask/sessions.py: SecureCookieSession's modified and accessed flags
 * (Werkzeug's CallbackDict rules), its Map-like API and permanent, and NullSession refusing writes.
 */
import { KeyError, NullSession, SecureCookieSession, SessionUnavailableError } from '../../lib/sessions/index.js';

type Cart = { user?: string; n?: number; items?: string[]; _permanent?: boolean };

describe("SecureCookieSession flags (flask/sessions.py on Werkzeug's CallbackDict)", () => {
  const fresh = (init: Cart = {}) => new SecureCookieSession<Cart>(init);

  it('starts unmodified, not accessed, not new', () => {
    const s = fresh({ user: 'a' });
    expect([s.modified, s.accessed, s.new]).toEqual([false, false, false]);
    expect(s.get('user')).toBe('a');
    expect(s.size).toBe(1);
  });

  it('reads never modify', () => {
    const s = fresh({ user: 'a', n: 1 });
    s.get('user');
    s.get('n', 0);
    s.has('user');
    void s.size;
    void [...s.keys(), ...s.values(), ...s.entries(), ...s];
    s.toJSON();
    void s.permanent;
    expect(s.modified).toBe(false);
  });

  it('set marks modified even when the value is unchanged', () => {
    const s = fresh({ n: 1 });
    s.set('n', 1);
    expect(s.modified).toBe(true);
  });

  it('delete marks modified only when the key existed', () => {
    const s = fresh({ n: 1 });
    expect(s.delete('user')).toBe(false);
    expect(s.modified).toBe(false);
    expect(s.delete('n')).toBe(true);
    expect(s.modified).toBe(true);
  });

  it('clear marks modified even on an empty session', () => {
    const s = fresh();
    s.clear();
    expect(s.modified).toBe(true);
  });

  it('pop: present marks modified, missing with default does not, missing without default throws KeyError', () => {
    const s = fresh({ n: 1 });
    expect(s.pop('user', 'none')).toBe('none');
    expect(s.modified).toBe(false);
    expect(() => s.pop('user')).toThrow(KeyError);
    expect(s.modified).toBe(false);
    expect(s.pop('n')).toBe(1);
    expect(s.modified).toBe(true);
  });

  it('popitem removes the newest entry, and throws KeyError when empty', () => {
    const s = fresh({ user: 'a', n: 2 });
    expect(s.popitem()).toEqual(['n', 2]);
    expect(s.modified).toBe(true);
    expect(s.popitem()).toEqual(['user', 'a']);
    expect(() => s.popitem()).toThrow(KeyError);
  });

  it('setdefault marks modified only when the key was missing', () => {
    const s = fresh({ n: 1 });
    expect(s.setdefault('n', 5)).toBe(1);
    expect(s.modified).toBe(false);
    expect(s.setdefault('user', 'b')).toBe('b');
    expect(s.modified).toBe(true);
  });

  it('update always marks modified, even with nothing to copy', () => {
    const s = fresh();
    s.update({});
    expect(s.modified).toBe(true);
    const t = fresh();
    t.update([['user', 'x']]);
    t.update(new SecureCookieSession({ n: 3 }));
    expect(t.toJSON()).toEqual({ user: 'x', n: 3 });
  });

  it('nested changes are not tracked: modified = true by hand', () => {
    const s = fresh({ items: ['a'] });
    s.get('items')!.push('b');
    expect(s.modified).toBe(false);
    s.modified = true;
    expect(s.toJSON()).toEqual({ items: ['a', 'b'] });
  });

  it('permanent reads _permanent; the setter always writes it, false included', () => {
    const s = fresh();
    expect(s.permanent).toBe(false);
    s.permanent = false;
    expect(s.modified).toBe(true);
    expect(s.toJSON()).toEqual({ _permanent: false });
    s.permanent = true;
    expect(s.get('_permanent')).toBe(true);
  });

  it('toJSON keeps __proto__ as an own key and never touches prototypes', () => {
    const s = new SecureCookieSession();
    s.set('__proto__', { polluted: true });
    const json = s.toJSON() as Record<string, unknown>;
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(json, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('NullSession (flask/sessions.py)', () => {
  it('reads work on an empty session', () => {
    const s = new NullSession();
    expect(s.get('missing_key')).toBeUndefined();
    expect(s.has('x')).toBe(false);
    expect(s.size).toBe(0);
    expect(s.permanent).toBe(false);
  });

  it.each([
    ['set', (s: NullSession) => s.set('foo', 42)],
    ['delete', (s: NullSession) => s.delete('foo')],
    ['clear', (s: NullSession) => s.clear()],
    ['pop', (s: NullSession) => (s.pop as (k: string, d?: unknown) => unknown)('foo', null)],
    ['popitem', (s: NullSession) => s.popitem()],
    ['setdefault', (s: NullSession) => s.setdefault('foo', 1)],
    ['update', (s: NullSession) => s.update({ a: 1 })],
    [
      'permanent setter',
      (s: NullSession) => {
        s.permanent = true;
      },
    ],
  ])('%s throws an error that says to set SECRET_KEY', (_name, write) => {
    const s = new NullSession();
    let caught: unknown;
    try {
      write(s);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionUnavailableError);
    expect((caught as Error).message).toContain('session is unavailable');
    expect((caught as Error).message).toContain('SECRET_KEY');
    expect(s.modified).toBe(false);
  });
});
