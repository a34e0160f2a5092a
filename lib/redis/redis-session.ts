import { SecureCookieSession, type SessionData } from '../sessions/secure-cookie-session.js';

/** What a {@link RedisSession} needs from its interface to act on the store right away. */
export interface RedisSessionStore {
  newId(): string;
  deleteId(id: string): Promise<void>;
}

/**
 * A server-side session: the data lives in Redis under `SESSION_KEY_PREFIX + id`, the cookie
 * holds only the signed id.
 */
export class RedisSession<T extends SessionData = SessionData> extends SecureCookieSession<T> {
  override readonly new: boolean;
  /** Set by {@link destroy}: the key is gone and the cookie is deleted on save. */
  destroyed = false;
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
  }

  get id(): string {
    return this.currentId;
  }

  /**
   * Moves the data to a new id and deletes the old key: call it when a user logs in, so an id
   * planted before login (session fixation) is worthless afterwards.
   */
  async regenerate(): Promise<void> {
    const oldId = this.currentId;
    this.currentId = this.store.newId();
    this.modified = true;
    this.destroyed = false;
    await this.store.deleteId(oldId);
  }

  /** Deletes the session from Redis now and empties it; the response deletes the cookie. */
  async destroy(): Promise<void> {
    this.data.clear();
    this.modified = true;
    this.destroyed = true;
    await this.store.deleteId(this.currentId);
  }
}
