import type { SecureCookieSession } from '../sessions/secure-cookie-session.js';
import type { SessionData } from '../sessions/session-data.js';
import { ReadOnlySessionError, type ReadOnlyReason } from './read-only-session.error.js';

type AnySession = SecureCookieSession<SessionData>;

/** Methods that change a session (RedisSession's `regenerate()` and `destroy()` included). */
const WRITES = new Set<string | symbol>([
  'set',
  'delete',
  'clear',
  'pop',
  'popitem',
  'setdefault',
  'update',
  'destroy',
]);

/**
 * The session, with every write checked first: `refusal()` says, at the time of the write,
 * whether it is refused. Reads, `accessed` and iteration pass through.
 */
export function guardWrites<S extends AnySession>(
  session: S,
  refusal: (write: string | symbol) => ReadOnlyReason | undefined,
): S {
  const check = (write: string | symbol): void => {
    const reason = refusal(write);
    if (reason) throw new ReadOnlySessionError(reason);
  };
  return new Proxy(session, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (WRITES.has(property) || property === 'regenerate') {
        return (...args: unknown[]) => {
          check(property);
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
    set(target, property, value: unknown) {
      if (property !== 'accessed') check(property);
      return Reflect.set(target, property, value, target);
    },
  });
}
