import { formatHttpDate, parseHttpDate } from './http-date.js';
import { JSONTag } from './json-tag.js';
import { Markup } from './markup.js';
import { isPlainObject } from './python-json.js';
import { Tuple } from './tuple.js';
import { UUID } from './uuid.js';

/** Sets an own property even when the key is `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Whether `value` has an `__html__()` method, which makes it Markup (tag `' m'`) even when it is
 * a plain object literal: a Python dict cannot have one, so only TagMarkup claims it.
 */
export function hasHtml(value: object): boolean {
  return typeof (value as { __html__?: unknown }).__html__ === 'function';
}

function onlyKey(value: Record<string, unknown>): string | undefined {
  let found: string | undefined;
  for (const key in value) {
    if (found !== undefined) return undefined;
    found = key;
  }
  return found;
}

/** A one-item dict whose key is a tag key: escaped as `{" di": {key + "__": value}}`. */
export class TagDict extends JSONTag {
  override readonly key: string = ' di';

  override check(value: unknown): boolean {
    if (!isPlainObject(value) || hasHtml(value)) return false;
    const key = onlyKey(value);
    return key !== undefined && this.owner.tags.has(key);
  }

  override toJson(value: Record<string, unknown>): unknown {
    const key = onlyKey(value)!;
    const escaped = Object.create(null) as Record<string, unknown>;
    escaped[`${key}__`] = this.owner.tag(value[key]);
    return escaped;
  }

  override toPython(value: unknown): unknown {
    if (!isPlainObject(value)) throw new TypeError("the ' di' tag needs an object");
    const key = onlyKey(value);
    if (key === undefined) throw new TypeError("the ' di' tag needs a one-item object");
    const result: Record<string, unknown> = {};
    setOwn(result, key.slice(0, -2), value[key]);
    return result;
  }
}

/** Any other dict: its values are tagged, the dict itself is not wrapped. */
export class PassDict extends JSONTag {
  override check(value: unknown): boolean {
    return isPlainObject(value) && !hasHtml(value);
  }

  override toJson(value: Record<string, unknown>): unknown {
    // A null prototype makes `__proto__` an ordinary key here.
    const result = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) result[key] = this.owner.tag(value[key]);
    return result;
  }

  override tag(value: unknown): unknown {
    return this.toJson(value as Record<string, unknown>);
  }
}

export class TagTuple extends JSONTag {
  override readonly key = ' t';

  override check(value: unknown): boolean {
    return value instanceof Tuple;
  }

  override toJson(value: Tuple): unknown {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) items[i] = this.owner.tag(value[i]);
    return items;
  }

  override toPython(value: unknown): unknown {
    if (!Array.isArray(value)) throw new TypeError("the ' t' tag needs an array");
    return Tuple.from(value);
  }
}

/** Lists: items are tagged, the list itself is not wrapped. */
export class PassList extends JSONTag {
  override check(value: unknown): boolean {
    return Array.isArray(value);
  }

  override toJson(value: unknown[]): unknown {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) items[i] = this.owner.tag(value[i]);
    return items;
  }

  override tag(value: unknown): unknown {
    return this.toJson(value as unknown[]);
  }
}

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64_DIGIT = /[A-Za-z0-9+/]/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Python's `base64.b64decode(text)` (binascii's lenient mode): characters outside the alphabet
 * are skipped, a complete `=` padding ends the data, and data that stops inside a quad without
 * its padding is refused ("Incorrect padding"), as Flask refuses it.
 */
function decodeBase64AsPython(text: string): Buffer {
  if (CANONICAL_BASE64.test(text)) return Buffer.from(text, 'base64');
  if (NON_ASCII.test(text)) throw new TypeError('string argument should contain only ASCII characters');
  let digits = '';
  let quadPos = 0;
  let pads = 0;
  for (const char of text) {
    if (char === '=') {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Buffer.from(digits, 'base64');
      continue;
    }
    if (!BASE64_DIGIT.test(char)) continue;
    pads = 0;
    digits += char;
    quadPos = (quadPos + 1) % 4;
  }
  if (quadPos === 1)
    throw new TypeError(
      `Invalid base64-encoded string: number of data characters (${digits.length}) cannot be 1 more than a multiple of 4`,
    );
  if (quadPos !== 0) throw new TypeError('Incorrect padding');
  return Buffer.from(digits, 'base64');
}

/** bytes: standard base64 with padding (not the cookie's URL-safe alphabet). */
export class TagBytes extends JSONTag {
  override readonly key = ' b';

  override check(value: unknown): boolean {
    return value instanceof Uint8Array;
  }

  override toJson(value: Uint8Array): unknown {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }

  override toPython(value: unknown): unknown {
    if (typeof value !== 'string') throw new TypeError("the ' b' tag needs a base64 string");
    return decodeBase64AsPython(value);
  }
}

/** Anything with `__html__()`: its HTML string; loads as {@link Markup}. */
export class TagMarkup extends JSONTag {
  override readonly key = ' m';

  override check(value: unknown): boolean {
    return (
      value !== null &&
      (typeof value === 'object' || typeof value === 'function') &&
      typeof (value as { __html__?: unknown }).__html__ === 'function'
    );
  }

  override toJson(value: { __html__(): unknown }): unknown {
    return String(value.__html__());
  }

  override toPython(value: unknown): unknown {
    if (typeof value !== 'string') throw new TypeError("the ' m' tag needs a string");
    return new Markup(value);
  }
}

export class TagUUID extends JSONTag {
  override readonly key = ' u';

  override check(value: unknown): boolean {
    return value instanceof UUID;
  }

  override toJson(value: UUID): unknown {
    return value.hex;
  }

  override toPython(value: unknown): unknown {
    return new UUID(value as string);
  }
}

/** Dates as HTTP dates in UTC, to the second; an unparsable date loads as null, as in Flask. */
export class TagDateTime extends JSONTag {
  override readonly key = ' d';

  override check(value: unknown): boolean {
    return value instanceof Date;
  }

  override toJson(value: Date): unknown {
    return formatHttpDate(value);
  }

  override toPython(value: unknown): unknown {
    return parseHttpDate(value);
  }
}
