/**
 * Flask's `session['user_id'] = 5` written in TypeScript would set a plain property that is
 * never saved. A session handed to request code fails at once instead, naming the method to use.
 *
 * The check sits at the end of the sessions' prototype chain, so it only runs for property names
 * a session does not have: reading and writing its own members costs nothing more.
 */

interface Dictionary {
  has(key: string): boolean;
}

/** A short rendering of a value for the error message, e.g. `5` or `'alice'`. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value.length <= 40 ? `'${value.replace(/'/g, "\\'")}'` : 'value';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return 'value';
}

/**
 * The prototype every session class ends its chain with (installed by secure-cookie-session.ts).
 * `isGuarded` tells a session handed to request code; until then (while constructing it, in
 * any subclass), a new property is simply defined, as on any object.
 */
export function createBracketAccessGuard(isGuarded: (receiver: object) => boolean): object {
  return new Proxy(Object.prototype, {
    get(target, key, receiver: object) {
      // `then` is probed by every `await`: a session is never a thenable, whatever its keys.
      if (typeof key === 'string' && key !== 'then' && isGuarded(receiver) && (receiver as Dictionary).has(key)) {
        throw new TypeError(`session['${key}'] does not read the session's data: use session.get('${key}').`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
    set(_target, key, value: unknown, receiver: object) {
      if (typeof key === 'string' && isGuarded(receiver)) {
        throw new TypeError(
          `session['${key}'] = ${shown(value)} would not be stored in the session: use session.set('${key}', ${shown(value)}).`,
        );
      }
      return Reflect.defineProperty(receiver, key, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}
