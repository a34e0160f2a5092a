import { RedisSession, type RedisSessionStore } from '../redis/redis-session.js';
import type { SessionData } from '../sessions/session-data.js';

const PERMANENT_KEY = '_permanent';

/**
 * A Flask-Session session (`ServerSideSession`): a {@link RedisSession} whose data holds
 * `_permanent` from the start when `SESSION_PERMANENT` is on, and which counts as empty while
 * that is all it holds. `clear()` keeps `_permanent`, as Flask-Session's does.
 */
export class FlaskSessionRedisSession<T extends SessionData = SessionData> extends RedisSession<T> {
  constructor(
    initial: Iterable<readonly [string, unknown]> | null,
    id: string,
    isNew: boolean,
    store: RedisSessionStore,
    /** `SESSION_PERMANENT`: whether a new (or destroyed) session starts permanent. */
    private readonly permanentByDefault: boolean,
  ) {
    super(initial ?? (permanentByDefault ? [[PERMANENT_KEY, true]] : null), id, isNew, store);
  }

  /** Flask-Session's `bool(session)` is false: nothing but `_permanent` in it. */
  get isEmpty(): boolean {
    return this.size === 0 || (this.size === 1 && this.has(PERMANENT_KEY));
  }

  /** Empties the session but keeps `_permanent` (Flask-Session's `clear()`). */
  override clear(): void {
    const permanent = this.data.get(PERMANENT_KEY) ?? false;
    super.clear();
    this.data.set(PERMANENT_KEY, permanent);
  }

  /** {@link RedisSession.destroy}, then the session starts over as a new one would. */
  override async destroy(): Promise<void> {
    await super.destroy();
    if (this.permanentByDefault) this.data.set(PERMANENT_KEY, true);
  }
}
