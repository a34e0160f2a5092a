import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { flash, getSession } from 'nest-flask-session';
import type { SampleSessionData } from '../common/sample-session.js';
import { UsersService } from './users.service.js';

/** Thrown by {@link LoginRequiredGuard}; {@link LoginRedirectFilter} turns it into a redirect. */
export class LoginRequiredException extends Error {
  override readonly name = 'LoginRequiredException';
  constructor(readonly loginUrl = '/login') {
    super('Login required');
  }
}

/**
 * Flask-Login's `@login_required`: lets logged-in users through; otherwise remembers the page
 * they wanted in the session (`next`), flashes a hint and sends them to the login page. Guards
 * run before interceptors, so the session comes from `getSession()`, not `@Session()`. The
 * session is saved even though the request ends in an exception.
 */
@Injectable()
export class LoginRequiredGuard implements CanActivate {
  constructor(private readonly users: UsersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await getSession<SampleSessionData>(context);
    if (this.users.findById(session.get('user_id'))) return true;
    // Express's and Fastify's requests both have `method` and `originalUrl` (path and query as sent).
    const request = context.switchToHttp().getRequest<{ method: string; originalUrl: string }>();
    // Only pages can be come back to: a POST cannot be replayed by a redirect.
    if (request.method === 'GET' || request.method === 'HEAD') session.set('next', request.originalUrl);
    flash(session, 'Please log in to see that page.', 'info');
    throw new LoginRequiredException();
  }
}

/**
 * Where to go after logging in: a path on this site only (`/account?tab=1`), never another
 * origin (`//evil.example`, `https://...`, `/\evil`), so `next` cannot be an open redirect.
 */
export function safeNextUrl(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return fallback;
  return /[\u0000-\u001f\u007f]/.test(next) ? fallback : next;
}
