import { Markup } from '../tagged-json/markup.js';
import { isPlainObject } from '../tagged-json/python-json.js';
import { UUID } from '../tagged-json/uuid.js';
import type { SessionData } from '../sessions/session-data.js';

import {
  FLASK_SESSION_SERIALIZATION_FORMATS,
  type FlaskSessionSerializationFormat,
} from '../config/flask-session-config.js';

export type { FlaskSessionSerializationFormat };

type MsgpackrModule = typeof import('msgpackr');

let loading: Promise<MsgpackrModule> | undefined;

/** msgpackr is an optional peer, loaded only when a Flask-Session interface first opens a session. */
async function loadMsgpackr(): Promise<MsgpackrModule> {
  loading ??= import('msgpackr').catch((error: unknown) => {
    loading = undefined;
    throw new Error('FlaskSessionRedisInterface needs the msgpackr package: npm install msgpackr', { cause: error });
  });
  return loading;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'Object';
}

/** msgspec's RFC 3339 form of an aware UTC datetime: microseconds only when there are any, then `Z`. */
function msgspecIsoString(date: Date): string {
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 23)}000Z`;
}

function checkDate(date: Date): void {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new TypeError('Flask-Session cannot store this Date: Python datetimes cover the years 1 to 9999');
  }
}

/**
 * Turns session data into what msgspec would have encoded for the same Python values: `Date` is an
 * aware datetime (MessagePack timestamp, or RFC 3339 text in JSON), `Buffer` is bytes (`bin`, or
 * base64 text in JSON), `Tuple` and `Set` are arrays, `UUID` and `Markup` are strings. Keys whose
 * value is `undefined` are left out and `undefined` in an array is null, as `JSON.stringify` does.
 */
function toWire(value: unknown, json: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // msgspec writes nan and infinities as JSON null.
      if (json) return Number.isFinite(value) ? value : null;
      // msgpackr writes whole numbers beyond 32 bits as float64, which Python reads as a float
      // (Date.now() would arrive as 1.7e12): as a 64-bit integer they arrive as an int.
      return Number.isSafeInteger(value) && (value > 0xffffffff || value < -0x80000000) ? BigInt(value) : value;
    case 'bigint':
      if (value < INT64_MIN || value > UINT64_MAX)
        throw new TypeError('Flask-Session cannot store an integer outside the 64-bit range');
      if (!json) return value;
      if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new TypeError(
          'Flask-Session JSON cannot carry an integer beyond 2**53 from here: use the msgpack format',
        );
      }
      return Number(value);
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw new TypeError(`Flask-Session cannot store a ${typeof value}`);
  }
  if (value === null) return null;
  if (Array.isArray(value) || value instanceof Set)
    return Array.from(value as Iterable<unknown>, (item) => toWire(item, json));
  if (isPlainObject(value)) return toWireObject(value, json);
  if (value instanceof Date) {
    checkDate(value);
    return json ? msgspecIsoString(value) : value;
  }
  if (value instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return json ? bytes.toString('base64') : bytes;
  }
  if (value instanceof UUID) return value.toString();
  if (value instanceof Markup) return value.value;
  throw new TypeError(
    `Flask-Session cannot store a ${describe(value)}: use plain objects, arrays, strings, numbers, booleans, null, Date or Buffer`,
  );
}

function toWireObject(object: Record<string, unknown>, json: boolean): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (const [key, item] of Object.entries(object)) if (item !== undefined) entries.push([key, toWire(item, json)]);
  return Object.fromEntries(entries);
}

/**
 * MessagePack maps come back as `Map`s (msgpackr renames a `__proto__` key otherwise): plain
 * objects here. 64-bit integers come back as `bigint`: numbers here when they are safe integers.
 */
function fromMsgpack(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value;
  }
  if (value instanceof Map) {
    const entries: Array<[string, unknown]> = [];
    for (const [key, item] of value) entries.push([String(key), fromMsgpack(item)]);
    return Object.fromEntries(entries);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = fromMsgpack(value[i]);
  }
  return value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Flask-Session's `MsgSpecSerializer`: writes `dict(session)` the way msgspec does, in MessagePack
 * (byte for byte what msgspec writes for the same values) or JSON, and reads both, the configured
 * format first, as Flask-Session does. Values come back as a Flask handler gets them: a datetime
 * as `Date` (to the millisecond), bytes as `Buffer`, a tuple as an array.
 */
export class MsgspecSerializer {
  private constructor(
    readonly format: FlaskSessionSerializationFormat,
    private readonly packr: InstanceType<MsgpackrModule['Packr']>,
    private readonly unpackr: InstanceType<MsgpackrModule['Unpackr']>,
  ) {}

  static async create(format: FlaskSessionSerializationFormat): Promise<MsgspecSerializer> {
    if (!FLASK_SESSION_SERIALIZATION_FORMATS.includes(format))
      throw new TypeError(`Unsupported serialization format: '${String(format)}'`);
    const { Packr, Unpackr } = await loadMsgpackr();
    // Plain MessagePack only: no records, no bundled strings, no msgpackr-specific extensions;
    // the smallest map header for each size, as msgspec writes it.
    const plain = {
      useRecords: false,
      moreTypes: false,
      structuredClone: false,
      bundleStrings: false,
      variableMapSize: true,
    } as const;
    return new MsgspecSerializer(
      format,
      new Packr(plain),
      new Unpackr({ ...plain, mapsAsObjects: false, int64AsType: 'bigint' }),
    );
  }

  encode(data: SessionData): Buffer {
    if (this.format === 'json') return Buffer.from(JSON.stringify(toWireObject(data, true)), 'utf8');
    return this.packr.pack(toWireObject(data, false));
  }

  /** The stored data; throws when neither format reads it or it is not a map. */
  decode(raw: Buffer): SessionData {
    let value: unknown;
    try {
      value = this.decodeAs(this.format, raw);
    } catch {
      value = this.decodeAs(this.format === 'json' ? 'msgpack' : 'json', raw);
    }
    if (!isPlainObject(value)) throw new TypeError(`the stored session is a ${describe(value)}, not a map`);
    return value;
  }

  private decodeAs(format: FlaskSessionSerializationFormat, raw: Buffer): unknown {
    return format === 'json' ? (JSON.parse(utf8.decode(raw)) as unknown) : fromMsgpack(this.unpackr.unpack(raw));
  }
}
