import { Markup } from '../tagged-json/markup.js';
import { Tuple } from '../tagged-json/tuple.js';
import type { SessionData } from '../sessions/session-data.js';
import type { SessionMixin } from '../sessions/session-mixin.js';

/** A flashed message: text, or HTML that is safe as is. */
export type FlashMessage = string | Markup;

/** One entry of `_flashes` as Flask stores it: the tuple `(category, message)`, tag `' t'` on the wire. */
export type FlashTuple = Tuple<string | FlashMessage>;

/** The slice of the session flashing uses: Flask's `_flashes` key. */
type FlashingSession = SessionMixin<{ _flashes?: FlashTuple[] }>;

export interface GetFlashedMessagesOptions {
  /** Return the `(category, message)` tuples instead of the messages alone. @default false */
  withCategories?: boolean;
  /** Keep only messages of these categories; empty keeps all. @default [] */
  categoryFilter?: readonly string[];
}

const FLASHES_KEY = '_flashes';

// Flask pops the list once per request and keeps it on the request context, so every call in
// one request sees the same messages. A request has exactly one session object: key by it.
const flashesOfRequest = new WeakMap<object, FlashTuple[]>();

/**
 * Flask's `flash()`: appends `(category, message)` to the session's `_flashes` list and stores
 * the list back (which marks the session modified). The entry is a {@link Tuple}, so the cookie
 * holds `{" t":[category,message]}` exactly as Flask writes it, and a Flask app sharing the
 * cookie shows the message too.
 */
export function flash<T extends SessionData>(
  session: SessionMixin<T>,
  message: FlashMessage,
  category = 'message',
): void {
  const flashing = session as unknown as FlashingSession;
  const stored: unknown = flashing.get(FLASHES_KEY);
  const flashes: FlashTuple[] = Array.isArray(stored) ? (stored as FlashTuple[]) : [];
  flashes.push(Tuple.of<string | FlashMessage>(category, message));
  flashing.set(FLASHES_KEY, flashes);
}

/**
 * Flask's `get_flashed_messages()`: the first call in a request pops `_flashes` from the session
 * (so each message shows once; the session is modified only if there were any); later calls in
 * the same request return the same messages.
 */
export function getFlashedMessages<T extends SessionData>(
  session: SessionMixin<T>,
  options: GetFlashedMessagesOptions & { withCategories: true },
): Array<readonly [string, FlashMessage]>;
export function getFlashedMessages<T extends SessionData>(
  session: SessionMixin<T>,
  options?: GetFlashedMessagesOptions & { withCategories?: false },
): FlashMessage[];
export function getFlashedMessages<T extends SessionData>(
  session: SessionMixin<T>,
  options?: GetFlashedMessagesOptions,
): FlashMessage[] | Array<readonly [string, FlashMessage]>;
export function getFlashedMessages<T extends SessionData>(
  session: SessionMixin<T>,
  { withCategories = false, categoryFilter = [] }: GetFlashedMessagesOptions = {},
): FlashMessage[] | Array<readonly [string, FlashMessage]> {
  let flashes = flashesOfRequest.get(session);
  if (flashes === undefined) {
    const flashing = session as unknown as FlashingSession;
    const stored: unknown = flashing.has(FLASHES_KEY) ? flashing.pop(FLASHES_KEY) : [];
    // A cookie written by another app may hold anything: keep the well-formed pairs only.
    flashes = (Array.isArray(stored) ? stored : []).filter(isFlashTuple);
    flashesOfRequest.set(session, flashes);
  }
  const entries = (categoryFilter.length > 0
    ? flashes.filter((entry) => categoryFilter.includes(entry[0] as string))
    : flashes) as unknown as Array<readonly [string, FlashMessage]>;
  return withCategories ? entries : entries.map((entry) => entry[1]);
}

function isFlashTuple(entry: unknown): entry is FlashTuple {
  return (
    Array.isArray(entry) &&
    entry.length === 2 &&
    typeof entry[0] === 'string' &&
    (typeof entry[1] === 'string' || entry[1] instanceof Markup)
  );
}
