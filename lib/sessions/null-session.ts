import { SecureCookieSession } from './secure-cookie-session.js';
import type { SessionData } from './session-data.js';
import { SessionUnavailableError } from './session-errors.js';

function unavailable(): never {
  throw new SessionUnavailableError();
}

/**
 * The session every request gets when no `SECRET_KEY` is configured: reads see an empty
 * session, every write throws {@link SessionUnavailableError}, and it is never saved.
 */
export class NullSession<T extends SessionData = SessionData> extends SecureCookieSession<T> {
  override set(..._args: unknown[]): this {
    return unavailable();
  }
  override delete(..._args: unknown[]): boolean {
    return unavailable();
  }
  override clear(..._args: unknown[]): void {
    unavailable();
  }
  override pop(..._args: unknown[]): never {
    return unavailable();
  }
  override popitem(..._args: unknown[]): never {
    return unavailable();
  }
  override setdefault(..._args: unknown[]): never {
    return unavailable();
  }
  override update(..._args: unknown[]): this {
    return unavailable();
  }
}
