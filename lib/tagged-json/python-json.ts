/**
 * JSON with Python's byte rules (`json.dumps(..., separators=(",", ":"), ensure_ascii=True,
 * sort_keys=True)` and `json.loads`), so that our session payloads equal Flask's.
 */

export interface PythonJsonDumpsOptions {
  /** Sort keys by code point at every level, as Flask's JSON provider does. @default true */
  sortKeys?: boolean;
}

export interface PythonJsonLoadsOptions {
  /** Deepest nesting of arrays and objects accepted. @default 128 */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 128;

const NEEDS_ASCII_ESCAPE = /[\u007f-\uffff]/;
const ASCII_ESCAPE = /[\u007f-\uffff]/g;
const HIGH_UNIT = /[\ud800-\uffff]/;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A JSON string literal with Python's `ensure_ascii` escaping. */
export function encodePythonString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes, controls (lowercase hex, short forms)
  // and lone surrogates exactly as Python does; only DEL and non-ASCII remain.
  const json = JSON.stringify(text);
  return NEEDS_ASCII_ESCAPE.test(json) ? json.replace(ASCII_ESCAPE, escapeChar) : json;
}

/** Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const significand = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${significand}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1) || '0';
  return `${sign}${whole}.${fraction}`;
}

/**
 * Integral numbers up to 2^53 − 1 print as Python ints; every other number as a Python float,
 * so Flask reads the very same double. `-0` is a float in Python too.
 */
export function encodePythonNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER && !Object.is(value, -0)) {
    return String(value);
  }
  return pythonFloatRepr(value);
}

/** Python's `str` ordering: by code point. Plain `<` compares UTF-16 units instead. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) must sort after U+E000..U+FFFF: shift them above it.
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts object keys in place the way Python's `sort_keys` does (by code point). */
export function sortKeysByCodePoint(keys: string[]): string[] {
  return keys.some((key) => HIGH_UNIT.test(key)) ? keys.sort(compareCodePoints) : keys.sort();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function typeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'Object';
  return typeof value;
}

function encode(value: unknown, sortKeys: boolean): string {
  switch (typeof value) {
    case 'string':
      return encodePythonString(value);
    case 'number':
      return encodePythonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      const encodeItem = sortKeys ? encodeSorted : encodeUnsorted;
      if (Array.isArray(value)) return encodePythonArray(value, encodeItem);
      if (isPlainObject(value)) {
        const keys = Object.keys(value);
        return encodePythonObject(value, sortKeys ? sortKeysByCodePoint(keys) : keys, encodeItem);
      }
      break;
    }
    default:
      break;
  }
  throw new TypeError(`Object of type ${typeName(value)} is not JSON serializable`);
}

const encodeSorted = (value: unknown): string => encode(value, true);
const encodeUnsorted = (value: unknown): string => encode(value, false);

/** `[a,b]` with each item written by `encodeItem`. */
export function encodePythonArray(items: readonly unknown[], encodeItem: (item: unknown) => string): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) out += (i ? ',' : '') + encodeItem(items[i]);
  return `${out}]`;
}

/** `{"k":v}` for the given keys, in that order, each value written by `encodeValue`. */
export function encodePythonObject(
  record: Record<string, unknown>,
  keys: readonly string[],
  encodeValue: (value: unknown) => string,
): string {
  let out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    out += `${i ? ',' : ''}${encodePythonString(key)}:${encodeValue(record[key])}`;
  }
  return `${out}}`;
}

/** Compact JSON with Python's bytes: sorted keys, ASCII escapes, Python number spelling. */
export function pythonJsonDumps(value: unknown, options: PythonJsonDumpsOptions = {}): string {
  return encode(value, options.sortKeys ?? true);
}

// Text JSON.parse reads exactly as Python does: no 16+ digit run (an int past 2^53 could hide
// there) and no NaN/Infinity literal. A false positive only costs the slower exact parser.
const NEEDS_EXACT_PARSER = /\d{16}|NaN|Infinity/;

/** Rejects text nested deeper than `maxDepth` before any recursive work happens on it. */
function checkDepth(text: string, maxDepth: number): void {
  if (text.length <= maxDepth * 2) return;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) throw new RangeError(`JSON nested deeper than ${maxDepth} levels`);
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
}

/** Python's `json.loads`: exact big integers (`bigint`), NaN/Infinity, last duplicate key wins. */
export function pythonJsonLoads(text: string, options: PythonJsonLoadsOptions = {}): unknown {
  checkDepth(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (!NEEDS_EXACT_PARSER.test(text)) return JSON.parse(text) as unknown;
  return new ExactParser(text).parseDocument();
}

/** {@link parseAsPlainJson}'s answer for a text that needs the exact parser. */
export const NEEDS_EXACT_PARSE = Symbol('needs the exact parser');

/**
 * {@link pythonJsonLoads} when `JSON.parse` reads the text as Python does (the usual case): plain
 * objects, arrays, strings, numbers, booleans and null, which {@link copyPlainJson} can copy.
 * {@link NEEDS_EXACT_PARSE} otherwise (a 16+ digit run, NaN or Infinity).
 */
export function parseAsPlainJson(text: string, options: PythonJsonLoadsOptions = {}): unknown {
  checkDepth(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  return NEEDS_EXACT_PARSER.test(text) ? NEEDS_EXACT_PARSE : (JSON.parse(text) as unknown);
}

/**
 * A deep copy of `JSON.parse` output, equal to parsing the text again (same key order, a
 * `__proto__` key kept as data) at a fraction of the cost: fresh objects and arrays, shared
 * strings (which cannot change).
 */
export function copyPlainJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) copy[i] = copyPlainJson(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  // Own keys only (for...in would also take enumerable keys someone added to Object.prototype).
  for (const key of Object.keys(value)) {
    const item = copyPlainJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_END = /"/g;

/** A small recursive-descent parser for the texts JSON.parse would read inexactly. */
class ExactParser {
  private index = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipSpace();
    const value = this.parseValue();
    this.skipSpace();
    if (this.index !== this.text.length) this.fail('Extra data');
    return value;
  }

  private parseValue(): unknown {
    const char = this.text[this.index];
    switch (char) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'N':
        return this.literal('NaN', NaN);
      case 'I':
        return this.literal('Infinity', Infinity);
      default:
        if (char === '-' && this.text.startsWith('-Infinity', this.index)) return this.literal('-Infinity', -Infinity);
        return this.parseNumber();
    }
  }

  private parseObject(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.index] !== ':') this.fail("Expecting ':' delimiter");
      this.index += 1;
      this.skipSpace();
      // defineProperty: a "__proto__" key is data, never a prototype change.
      Object.defineProperty(result, key, {
        value: this.parseValue(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const next = this.text[this.index++];
      if (next === '}') return result;
      if (next !== ',') this.fail("Expecting ',' delimiter");
    }
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.parseValue());
      this.skipSpace();
      const next = this.text[this.index++];
      if (next === ']') return result;
      if (next !== ',') this.fail("Expecting ',' delimiter");
    }
  }

  private parseString(): string {
    const start = this.index;
    STRING_END.lastIndex = start + 1;
    for (;;) {
      const match = STRING_END.exec(this.text);
      if (!match) this.fail('Unterminated string');
      let backslashes = 0;
      for (let i = match.index - 1; this.text[i] === '\\'; i -= 1) backslashes += 1;
      if (backslashes % 2 === 0) {
        this.index = match.index + 1;
        // JSON.parse validates escapes and control characters exactly as Python's strict mode.
        return JSON.parse(this.text.slice(start, this.index)) as string;
      }
    }
  }

  private parseNumber(): number | bigint {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (!match || match[0] === '-') this.fail('Expecting value');
    this.index += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const integer = Number(match[0]);
      if (integer === 0) return 0; // Python has no negative integer zero
      return Number.isSafeInteger(integer) ? integer : BigInt(match[0]);
    }
    return Number(match[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.index)) this.fail('Expecting value');
    this.index += word.length;
    return value;
  }

  private skipSpace(): void {
    while (this.index < this.text.length) {
      const code = this.text.charCodeAt(this.index);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.index += 1;
    }
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message}: line 1 column ${this.index + 1} (char ${this.index})`);
  }
}
