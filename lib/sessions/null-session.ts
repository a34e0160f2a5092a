import { SecureCookieSession, type SessionData } from './secure-cookie-session.js';
import { SessionUnavailableError } from './session-errors.js';

function unavailable(): never {
  throw new SessionUnavailableError();
}

/**
 * The session every request gets when no `SECRET_KEY` is configured: reads see an empty
 * session, every write throws {@link SessionUnavailableError}, and it is never saved.
 */
export class NullSession<T extends SessionData = SessionData> extends SecureCookieSession<T> {
  override set(): this {
    return unavailable();
  }
  override delete(): boolean {
    return unavailable();
  }
  override clear(): void {
    unavailable();
  }
  override pop(): never {
    return unavailable();
  }
  override popitem(): never {
    return unavailable();
  }
  override setdefault(): never {
    return unavailable();
  }
  override update(): this {
    return unavailable();
  }
}
