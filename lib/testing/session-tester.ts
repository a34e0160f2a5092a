import type { INestApplicationContext } from '@nestjs/common';
import type { SessionConfig } from '../config/index.js';
import { CookieSessionInterface, SessionInterface, type SessionData } from '../sessions/index.js';
import { SESSION_CONFIG } from '../session.constants.js';
import { TestRequest, TestResponse } from './test-exchange.js';

/**
 * A response as a test client gives it: supertest's `Response`, Fastify's `inject()` response,
 * or anything with the response's headers.
 */
export interface SessionTestResponse {
  readonly headers: Readonly<Record<string, unknown>>;
}

/** Mints and reads sessions exactly as the app under test does: its interface, its config. */
export interface SessionTester<T extends SessionData = SessionData> {
  /** The name of the session cookie (`SESSION_COOKIE_NAME`, or what the interface makes of it). */
  readonly cookieName: string;
  /**
   * A `name=value` for a `Cookie` header carrying a session with `data`: the signed or encrypted
   * cookie, or, for a server-side interface (Redis, Flask-Session), the id cookie of a session
   * just written to the store.
   */
  createCookie(data: T): Promise<string>;
  /**
   * The session a response set: its data (read from the store for a server-side interface), `{}`
   * when the response deletes the session cookie, null when it does not touch it. A cookie the
   * app would not accept throws (signed: `BadSignature` and its subclasses, encrypted:
   * `UnsealError`, server-side: an `Error` saying the store has no such session), so a test
   * reading the wrong way fails instead of passing as "untouched".
   */
  readSession(response: SessionTestResponse | string | readonly string[] | undefined): Promise<T | null>;
}

function setCookieHeaders(response: SessionTestResponse | string | readonly string[] | undefined): string[] {
  const value =
    typeof response === 'object' && response !== null && !Array.isArray(response)
      ? (response as SessionTestResponse).headers['set-cookie']
      : response;
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function noSecretKey(): Error {
  return new Error(
    'The app under test has no SECRET_KEY, so it has no sessions to create or read: give SessionModule a SECRET_KEY for the tests.',
  );
}

/**
 * Testing helpers bound to an application (or a compiled testing module): they use the app's own
 * `SessionInterface` and resolved `SESSION_CONFIG`, so a test mints and reads sessions the way
 * the app really does, signed, encrypted, in Redis or with a custom interface, with no options
 * to repeat or override.
 *
 * ```ts
 * const sessions = createSessionTester(app);
 * const res = await request(app.getHttpServer()).get('/cart').set('Cookie', await sessions.createCookie({ cart: ['milk'] }));
 * expect(await sessions.readSession(res)).toEqual({ cart: ['milk'] });
 * ```
 */
export function createSessionTester<T extends SessionData = SessionData>(
  app: INestApplicationContext,
): SessionTester<T> {
  const sessionInterface = app.get(SessionInterface, { strict: false });
  const config = app.get<SessionConfig>(SESSION_CONFIG, { strict: false });
  const cookieName = sessionInterface.getCookieName(config, new TestRequest());

  const lastSessionCookie = (headers: readonly string[]): string | undefined => {
    const prefix = `${cookieName}=`;
    const header = headers.filter((line) => line.startsWith(prefix)).at(-1);
    return header?.slice(prefix.length).split(';', 1)[0];
  };

  return {
    cookieName,

    async createCookie(data: T): Promise<string> {
      const request = new TestRequest();
      const session = await sessionInterface.openSession(config, request);
      if (!session) throw noSecretKey();
      session.update(data);
      const response = new TestResponse(request);
      await sessionInterface.saveSession(config, session, response);
      const value = lastSessionCookie(response.setCookies);
      if (value === undefined) {
        throw new Error(`${sessionInterface.constructor.name} set no '${cookieName}' cookie for this session.`);
      }
      return `${cookieName}=${value}`;
    },

    async readSession(response): Promise<T | null> {
      const value = lastSessionCookie(setCookieHeaders(response));
      if (value === undefined) return null;
      if (value === '') return {} as T;
      if (sessionInterface instanceof CookieSessionInterface) {
        const data = sessionInterface.loadCookieValue(config, value);
        if (data === null) throw noSecretKey();
        return data as T;
      }
      const session = await sessionInterface.openSession(config, new TestRequest(`${cookieName}=${value}`));
      if (!session) throw noSecretKey();
      if (session.new) {
        throw new Error(
          `The response's '${cookieName}' cookie names no session ${sessionInterface.constructor.name} can open ` +
            '(not signed with the key, or not in the store).',
        );
      }
      return session.toJSON() as T;
    },
  };
}
