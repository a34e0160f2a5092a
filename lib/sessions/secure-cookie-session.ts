import type { SessionData } from './session-data.js';
import type { SessionKey as Key, SessionMixin, SessionSource as Source } from './session-mixin.js';
import { createBracketAccessGuard } from './bracket-access.guard.js';
import { KeyError } from './session-errors.js';

const PERMANENT_KEY = '_permanent';

let markHandedOut: (session: SecureCookieSession<SessionData>) => void;

function entriesOf(source: Source<SessionData>): Iterable<readonly [string, unknown]> {
  if (source == null) return [];
  if (source instanceof SecureCookieSession) return source.entries();
  if (typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return source as Iterable<readonly [string, unknown]>;
  }
  return Object.entries(source);
}

/**
 * A session whose data lives in a signed cookie: a Map-like dictionary with Flask's flags.
 *
 * `modified` becomes true on top-level writes only (Werkzeug's `CallbackDict` rules); a change
 * inside a nested value needs `session.modified = true`. `accessed` is set by the public
 * accessors (`@Session()`, `getSession()`), as Flask 3.1.3+ marks any touch of `flask.session`.
 */
export class SecureCookieSession<T extends SessionData = SessionData> implements SessionMixin<T> {
  /** True once the top-level data changed during this request. */
  modified = false;
  /** True once request code looked at the session; the response then varies on `Cookie`. */
  accessed = false;
  /** True for a session the backend just created. Cookie sessions never say so, as in Flask. */
  readonly new: boolean = false;

  protected readonly data = new Map<string, unknown>();

  /** True once request code has the session: bracket access then throws (see bracket-access.guard.ts). */
  #handedOut = false;

  static {
    markHandedOut = (session) => {
      session.#handedOut = true;
    };
    Object.setPrototypeOf(
      SecureCookieSession.prototype,
      createBracketAccessGuard((receiver) => #handedOut in receiver && receiver.#handedOut),
    );
  }

  constructor(initial?: Source<NoInfer<T>>) {
    for (const [key, value] of entriesOf(initial as Source<SessionData>)) this.data.set(key, value);
  }

  get size(): number {
    return this.data.size;
  }

  /**
   * Whether the cookie outlives the browser session: the stored `_permanent` value as it is
   * (Flask returns it unconverted, so a cookie holding `'yes'` reads `'yes'`), `false` when absent.
   */
  get permanent(): boolean {
    return (this.data.has(PERMANENT_KEY) ? this.data.get(PERMANENT_KEY) : false) as boolean;
  }

  /** Always writes `_permanent` as a boolean, even `false`, exactly as Flask's setter does. */
  set permanent(value: boolean) {
    this.set(PERMANENT_KEY as Key<T>, Boolean(value) as T[Key<T>]);
  }

  get<K extends Key<T>>(key: K): T[K] | undefined;
  get<K extends Key<T>, D>(key: K, defaultValue: D): Exclude<T[K], undefined> | D;
  get(key: string, defaultValue?: unknown): unknown {
    return this.data.has(key) ? this.data.get(key) : defaultValue;
  }

  has(key: string): boolean {
    return this.data.has(key);
  }

  set<K extends Key<T>>(key: K, value: T[K]): this {
    this.data.set(key, value);
    this.modified = true;
    return this;
  }

  /** Removes a key; marks the session modified only if the key was there. */
  delete(key: Key<T> | string): boolean {
    const existed = this.data.delete(key);
    if (existed) this.modified = true;
    return existed;
  }

  /** Empties the session; always marks it modified, so a saved empty session deletes the cookie. */
  clear(): void {
    this.data.clear();
    this.modified = true;
  }

  /** Removes and returns a value. Without a default, a missing key throws {@link KeyError}. */
  pop<K extends Key<T>>(key: K): T[K];
  pop<K extends Key<T>, D>(key: K, defaultValue: D): Exclude<T[K], undefined> | D;
  pop(key: string, ...rest: [unknown?]): unknown {
    if (this.data.has(key)) {
      const value = this.data.get(key);
      this.data.delete(key);
      this.modified = true;
      return value;
    }
    if (rest.length === 0) throw new KeyError(key);
    return rest[0];
  }

  /** Removes and returns the most recently inserted entry, as Python's `dict.popitem`. */
  popitem(): [Key<T>, T[Key<T>]] {
    let last: [string, unknown] | undefined;
    for (const entry of this.data) last = entry;
    if (last === undefined) throw new KeyError(undefined);
    this.data.delete(last[0]);
    this.modified = true;
    return last as [Key<T>, T[Key<T>]];
  }

  /** Returns the value of `key`, storing `defaultValue` first if the key is missing. */
  setdefault<K extends Key<T>>(key: K, defaultValue: Exclude<T[K], undefined>): Exclude<T[K], undefined> {
    if (this.data.has(key)) return this.data.get(key) as Exclude<T[K], undefined>;
    this.data.set(key, defaultValue);
    this.modified = true;
    return defaultValue;
  }

  /** Copies entries in; always marks the session modified, even with nothing to copy. */
  update(other?: Source<T>): this {
    for (const [key, value] of entriesOf(other as Source<SessionData>)) this.data.set(key, value);
    this.modified = true;
    return this;
  }

  keys(): IterableIterator<Key<T>> {
    return this.data.keys() as IterableIterator<Key<T>>;
  }

  values(): IterableIterator<T[Key<T>]> {
    return this.data.values() as IterableIterator<T[Key<T>]>;
  }

  entries(): IterableIterator<[Key<T>, T[Key<T>]]> {
    return this.data.entries() as IterableIterator<[Key<T>, T[Key<T>]]>;
  }

  [Symbol.iterator](): IterableIterator<[Key<T>, T[Key<T>]]> {
    return this.entries();
  }

  forEach(callback: (value: T[Key<T>], key: Key<T>, session: this) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  /** A plain object copy of the data (`dict(session)`); `__proto__` stays an ordinary key. */
  toJSON(): Partial<T> {
    return Object.fromEntries(this.data) as Partial<T>;
  }

  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }
}

/**
 * Marks a session as handed to request code: from now on `session['key'] = value` (Flask's
 * idiom, which would set a property that is never saved) throws an error naming `session.set()`,
 * and reading a stored key that way names `session.get()`.
 */
export function guardBracketAccess<S extends SecureCookieSession<SessionData>>(session: S): S {
  markHandedOut(session);
  return session;
}
