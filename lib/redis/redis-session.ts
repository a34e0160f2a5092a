import { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';
import {
  SessionStoreUnavailableError,
  STORE_FAILURE_HANDLER,
  type StoreFailureHandler,
} from '../sessions/session-store-unavailable.error.js';

/** What a {@link RedisSession} needs from its interface to act on the store right away. */
export interface RedisSessionStore {
  newId(): string;
  /** Deletes the key of an id; true when it still existed. */
  deleteId(id: string): Promise<boolean>;
}

/**
 * A server-side session: the data lives in Redis under `SESSION_KEY_PREFIX + id`, the cookie
 * holds only the signed id.
 */
export class RedisSession<T extends SessionData = SessionData> extends SecureCookieSession<T> {
  override readonly new: boolean;
  /** Set by {@link destroy}: the key is gone and the cookie is deleted on save. */
  destroyed = false;
  /**
   * The id this session was read under, or null for a session the store did not have. Saving
   * rewrites that entry only if it still exists, so a logout elsewhere is never undone.
   */
  readonly storedId: string | null;
  /** The store failure that ended a {@link regenerate} or {@link destroy} of this request, if any. */
  storeFailure: SessionStoreUnavailableError | null = null;
  /** Set by the layer that hands the session out (see {@link STORE_FAILURE_HANDLER}). */
  [STORE_FAILURE_HANDLER]: StoreFailureHandler | null = null;
  private currentId: string;
  private clearedSinceRead = false;

  constructor(
    initial: Iterable<readonly [string, unknown]> | null,
    id: string,
    isNew: boolean,
    private readonly store: RedisSessionStore,
  ) {
    super(initial as never);
    this.currentId = id;
    this.new = isNew;
    this.storedId = isNew ? null : id;
  }

  get id(): string {
    return this.currentId;
  }

  /**
   * True once `clear()` emptied the session in this request: what it holds now was all set
   * afterwards. Saving a cleared session that was stored moves it to a new id (a logout that
   * sticks), see `RedisSessionInterface`.
   */
  get cleared(): boolean {
    return this.clearedSinceRead;
  }

  override clear(): void {
    super.clear();
    this.clearedSinceRead = true;
  }

  /**
   * Moves the data to a new id and deletes the old key: call it when a user logs in, so an id
   * planted before login (session fixation) is worthless afterwards. If the key this request
   * read is already gone (a logout elsewhere meanwhile), the logout wins: the data read before
   * it is dropped, and only what the request sets afterwards (a fresh login) is stored. If the
   * store cannot be reached, the session is left as it was and the call throws (a 503 in Nest);
   * the session is then never saved by this request.
   */
  async regenerate(): Promise<void> {
    const oldId = this.currentId;
    const undo = this.undoPoint();
    this.currentId = this.store.newId();
    this.modified = true;
    this.destroyed = false;
    const existed = await this.onStore('regenerate()', undo, () => this.store.deleteId(oldId));
    // After clear(), nothing read before the logout elsewhere is left to drop.
    if (!existed && oldId === this.storedId && !this.clearedSinceRead) this.data.clear();
  }

  /**
   * Deletes the session from Redis now, empties it and gives it a new id: the response deletes
   * the cookie, or, if the request writes to the session afterwards (a "logged out" message),
   * stores that under the new id, never under the destroyed one. If the store cannot be reached,
   * the session is left as it was and the call throws (a 503 in Nest); the session is then never
   * saved by this request.
   */
  async destroy(): Promise<void> {
    const oldId = this.currentId;
    const undo = this.undoPoint();
    this.data.clear();
    this.currentId = this.store.newId();
    this.modified = true;
    this.destroyed = true;
    await this.onStore('destroy()', undo, () => this.store.deleteId(oldId));
  }

  /** Restores the id, data and flags as they are now. */
  private undoPoint(): () => void {
    const { currentId, modified, destroyed } = this;
    const entries = [...this.data];
    return () => {
      this.currentId = currentId;
      this.modified = modified;
      this.destroyed = destroyed;
      this.data.clear();
      for (const [key, value] of entries) this.data.set(key, value);
    };
  }

  /** Runs a store command; on an outage, undoes the change, marks the session unsaveable and throws. */
  private async onStore<R>(action: string, undo: () => void, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof SessionStoreUnavailableError)) throw error;
      undo();
      this.storeFailure = error;
      throw this[STORE_FAILURE_HANDLER]?.(error, action) ?? error;
    }
  }
}
