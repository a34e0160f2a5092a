import type { SessionData } from './session-data.js';

/** A key of `T` the session's methods accept. */
export type SessionKey<T> = Extract<keyof T, string>;

/** What `update()` and a session's constructor copy entries from. */
export type SessionSource<T> = Partial<T> | Iterable<readonly [string, unknown]> | SessionMixin | null | undefined;

/**
 * Every session, whatever keeps it (signed or encrypted cookie, Redis, Flask-Session): a
 * Map-like dictionary with Flask's flags (Flask's `SessionMixin`). Annotate with it
 * (`@Session() session: SessionMixin`); backend-specific methods live on the backend's class
 * (`RedisSession.regenerate()`). Read and write through the methods: `session.set('userId', 5)`,
 * never `session['userId'] = 5`, which throws.
 */
export interface SessionMixin<T extends SessionData = SessionData> extends Iterable<[SessionKey<T>, T[SessionKey<T>]]> {
  /**
   * Whether the cookie outlives the browser session (`_permanent`). Setting it writes `_permanent`;
   * reading gives the stored value as Flask does, `false` when absent.
   */
  permanent: boolean;
  /** True for a session the backend just created. Cookie sessions never say so, as in Flask. */
  readonly new: boolean;
  /** True once the top-level data changed; set it after changing a nested value in place. */
  modified: boolean;
  /** True once request code looked at the session; the response then varies on `Cookie`. */
  accessed: boolean;
  readonly size: number;
  get<K extends SessionKey<T>>(key: K): T[K] | undefined;
  get<K extends SessionKey<T>, D>(key: K, defaultValue: D): Exclude<T[K], undefined> | D;
  has(key: string): boolean;
  set<K extends SessionKey<T>>(key: K, value: T[K]): this;
  /** Removes a key; marks the session modified only if the key was there. */
  delete(key: string): boolean;
  /** Empties the session and marks it modified, so saving deletes it. */
  clear(): void;
  /** Removes and returns a value; without a default, a missing key throws `KeyError`. */
  pop<K extends SessionKey<T>>(key: K): T[K];
  pop<K extends SessionKey<T>, D>(key: K, defaultValue: D): Exclude<T[K], undefined> | D;
  /** Removes and returns the most recently inserted entry, as Python's `dict.popitem`. */
  popitem(): [SessionKey<T>, T[SessionKey<T>]];
  /** Returns the value of `key`, storing `defaultValue` first if the key is missing. */
  setdefault<K extends SessionKey<T>>(key: K, defaultValue: Exclude<T[K], undefined>): Exclude<T[K], undefined>;
  /** Copies entries in; always marks the session modified. */
  update(other?: SessionSource<T>): this;
  keys(): IterableIterator<SessionKey<T>>;
  values(): IterableIterator<T[SessionKey<T>]>;
  entries(): IterableIterator<[SessionKey<T>, T[SessionKey<T>]]>;
  forEach(callback: (value: T[SessionKey<T>], key: SessionKey<T>, session: this) => void): void;
  /** A plain object copy of the data (`dict(session)`). */
  toJSON(): Partial<T>;
}
