import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { sessionCookieValue } from '../create-app.js';
import { nextGate } from './session-routes.controller.js';

export interface LogoutRace {
  /** The route that logs in (a session cookie comes back). */
  loginPath?: string;
  /** A route of {@link SessionRoutesController} (or one using its gate) that reads the session, then waits. */
  slowPath: string;
  logoutPath?: string;
  /** Runs after the login, before the slow request starts; given the session cookie's value. */
  beforeSlow?: (cookie: string) => Promise<void>;
  /** Runs while the slow request waits, after the logout. */
  whileHeld?: (logout: request.Response, cookie: string) => Promise<void>;
}

/**
 * Logs in, starts the slow request (it reads the session, then waits at the gate), logs out while
 * it waits, then lets it finish: the race a logout must win.
 */
export async function logoutDuringSlowRequest(
  app: INestApplication,
  { loginPath = '/login', slowPath, logoutPath = '/logout', beforeSlow, whileHeld }: LogoutRace,
): Promise<{ cookie: string; logout: request.Response; late: request.Response }> {
  const http = app.getHttpServer();
  const gate = nextGate();
  const cookie = sessionCookieValue((await request(http).get(loginPath)).headers)!;
  await beforeSlow?.(cookie);
  const slow = request(http)
    .get(slowPath)
    .set('Cookie', `session=${cookie}`)
    .then((res) => res);
  await gate.whenEntered;
  const logout = await request(http).get(logoutPath).set('Cookie', `session=${cookie}`);
  await whileHeld?.(logout, cookie);
  gate.open();
  return { cookie, logout, late: await slow };
}
