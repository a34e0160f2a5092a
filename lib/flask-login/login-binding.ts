import type { SessionContext } from '../http/index.js';

/** What `@CurrentUser()` needs of the login manager bound to a request. */
export interface BoundLoginManager {
  currentUser(target: object): Promise<object | null>;
}

const managers = new WeakMap<SessionContext, BoundLoginManager>();

/** Records which app's login manager serves a request (a process may run several apps). */
export function bindLoginManager(context: SessionContext, manager: BoundLoginManager): void {
  managers.set(context, manager);
}

/** The login manager bound to a request, if `LoginModule` saw it. */
export function loginManagerOf(context: SessionContext): BoundLoginManager | undefined {
  return managers.get(context);
}
