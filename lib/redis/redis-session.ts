import { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';

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
  private currentId: string;

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
   * Moves the data to a new id and deletes the old key: call it when a user logs in, so an id
   * planted before login (session fixation) is worthless afterwards. If the key this request
   * read is already gone (a logout elsewhere meanwhile), the logout wins: the data read before
   * it is dropped, and only what the request sets afterwards (a fresh login) is stored.
   */
  async regenerate(): Promise<void> {
    const oldId = this.currentId;
    this.currentId = this.store.newId();
    this.modified = true;
    this.destroyed = false;
    const existed = await this.store.deleteId(oldId);
    if (!existed && oldId === this.storedId) this.data.clear();
  }

  /**
   * Deletes the session from Redis now, empties it and gives it a new id: the response deletes
   * the cookie, or, if the request writes to the session afterwards (a "logged out" message),
   * stores that under the new id, never under the destroyed one.
   */
  async destroy(): Promise<void> {
    const oldId = this.currentId;
    this.data.clear();
    this.currentId = this.store.newId();
    this.modified = true;
    this.destroyed = true;
    await this.store.deleteId(oldId);
  }
}
