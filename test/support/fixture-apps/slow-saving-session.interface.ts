import {
  SecureCookieSessionInterface,
  SessionInterface,
  type SecureCookieSession,
  type SessionConfig,
  type SessionRequest,
  type SessionResponse,
} from 'nest-flask-session';

/** The cookie interface, saving on a later tick as a store would. */
export class SlowSavingSessionInterface extends SessionInterface {
  private readonly cookies = new SecureCookieSessionInterface();
  openSession(config: SessionConfig, request: SessionRequest) {
    return this.cookies.openSession(config, request);
  }
  async saveSession(config: SessionConfig, session: SecureCookieSession, response: SessionResponse) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.cookies.saveSession(config, session, response);
  }
}

/** The cookie interface saving at once and saving asynchronously, for `describe.each`. */
export const SAVE_TIMINGS = [
  ['saving at once', SecureCookieSessionInterface],
  ['saving asynchronously', SlowSavingSessionInterface],
] as const;
