import { Markup, Tuple, type SecureCookieSession } from 'nest-flask-session';

/** One flashed message as Flask stores it: the tuple `(category, message)`. */
export type FlashMessage = Tuple<string | Markup>;

/** The categories this sample uses; Flask's default is `'message'`. */
export type FlashCategory = 'message' | 'success' | 'info' | 'warning' | 'error';

/** The slice of the session the flash helpers use (`_flashes`, Flask's key). */
export type FlashingSession = { _flashes?: FlashMessage[] };

// Flask caches the popped list on the request context, so every call in one request sees the
// same messages. Each request gets its own session object, so a WeakMap keyed by it is that cache.
const flashedThisRequest = new WeakMap<object, FlashMessage[]>();

/**
 * Flask's `flash(message, category)`: appends `(category, message)` to `session['_flashes']`.
 * The entry is a `Tuple`, so the cookie carries `{" t": [category, message]}` exactly as Flask
 * writes it, and a Flask app sharing the cookie shows the message too (and the other way round).
 * The list is assigned back, which marks the session modified, as Flask does.
 */
export function flash(session: SecureCookieSession<FlashingSession>, message: string | Markup, category: FlashCategory | string = 'message'): void {
  const flashes: FlashMessage[] = [...(session.get('_flashes') ?? [])];
  flashes.push(Tuple.of<string | Markup>(category, message) as FlashMessage);
  session.set('_flashes', flashes);
}

export interface GetFlashedMessagesOptions {
  /** Return `[category, message]` pairs instead of the messages alone. @default false */
  withCategories?: boolean;
  /** Keep only these categories. @default [] (all) */
  categoryFilter?: readonly string[];
}

/**
 * Flask's `get_flashed_messages()`: pops `_flashes` from the session on the first call in a
 * request (marking it modified only if there were any), so each message is shown once.
 */
export function getFlashedMessages(
  session: SecureCookieSession<FlashingSession>,
  options: GetFlashedMessagesOptions & { withCategories: true },
): Array<[string, string | Markup]>;
export function getFlashedMessages(session: SecureCookieSession<FlashingSession>, options?: GetFlashedMessagesOptions): Array<string | Markup>;
export function getFlashedMessages(
  session: SecureCookieSession<FlashingSession>,
  { withCategories = false, categoryFilter = [] }: GetFlashedMessagesOptions = {},
): Array<[string, string | Markup]> | Array<string | Markup> {
  let flashes = flashedThisRequest.get(session);
  if (flashes === undefined) {
    const stored: unknown = session.has('_flashes') ? session.pop('_flashes') : [];
    // A cookie written by another app could hold anything: keep only well-formed pairs.
    flashes = (Array.isArray(stored) ? stored : []).filter(
      (entry): entry is FlashMessage => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string',
    );
    flashedThisRequest.set(session, flashes);
  }
  const kept = categoryFilter.length > 0 ? flashes.filter(([category]) => categoryFilter.includes(String(category))) : flashes;
  if (withCategories) return kept.map((entry): [string, string | Markup] => [String(entry[0]), entry[1]!]);
  return kept.map((entry) => entry[1]!);
}
