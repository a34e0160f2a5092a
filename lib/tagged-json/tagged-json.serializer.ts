import { JSONTag, type JSONTagClass } from './json-tag.js';
import {
  DEFAULT_MAX_DEPTH,
  encodePythonArray,
  encodePythonNumber,
  encodePythonObject,
  encodePythonString,
  isPlainObject,
  pythonJsonDumps,
  pythonJsonLoads,
  sortKeysByCodePoint,
} from './python-json.js';
import {
  hasHtml,
  PassDict,
  PassList,
  setOwn,
  TagBytes,
  TagDateTime,
  TagDict,
  TagMarkup,
  TagTuple,
  TagUUID,
} from './tags.js';
import { Tuple } from './tuple.js';

export interface RegisterTagOptions {
  /** Replace a tag registered under the same key instead of throwing. @default false */
  force?: boolean;
  /** Position in the check order (`Array.prototype.splice` semantics); null appends. @default null */
  index?: number | null;
}

export interface TaggedJSONSerializerOptions {
  /** Deepest nesting `loads` accepts. @default 128 */
  maxDepth?: number;
}

/** `register()` was given a key that is taken (Python's `KeyError`). */
export class TagAlreadyRegisteredError extends Error {
  override readonly name = 'TagAlreadyRegisteredError';
}

/**
 * Flask's `TaggedJSONSerializer`: JSON that keeps tuples, bytes, Markup, UUIDs and dates apart
 * from plain strings and lists, written with Python's exact bytes.
 */
export class TaggedJSONSerializer {
  static readonly defaultTags: readonly JSONTagClass[] = [
    TagDict,
    PassDict,
    TagTuple,
    PassList,
    TagBytes,
    TagMarkup,
    TagUUID,
    TagDateTime,
  ];

  /** Tags by key (tags without a key, the pass-through ones, are only in `order`). */
  readonly tags = new Map<string, JSONTag>();
  /** Tags in the order their `check` is tried. */
  readonly order: JSONTag[] = [];
  readonly maxDepth: number;
  /** The default tags as registered by the constructor: while `order` equals it, `dumps` takes the one-pass encoder. */
  private readonly defaultOrder: readonly JSONTag[];
  private readonly encodeItem = (value: unknown): string => this.encodeDefault(value);

  constructor(options: TaggedJSONSerializerOptions = {}) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    for (const tagClass of TaggedJSONSerializer.defaultTags) this.register(tagClass);
    this.defaultOrder = [...this.order];
  }

  /** Adds a tag; a taken key throws unless `force`, which still also inserts into `order`. */
  register(tagClass: JSONTagClass, options: RegisterTagOptions = {}): void {
    const tag = new tagClass(this);
    if (tag.key) {
      if (!options.force && this.tags.has(tag.key)) {
        throw new TagAlreadyRegisteredError(`Tag '${tag.key}' is already registered.`);
      }
      this.tags.set(tag.key, tag);
    }
    if (options.index == null) this.order.push(tag);
    else this.order.splice(options.index, 0, tag);
  }

  /** The JSON-compatible form of `value`, tags applied. */
  tag(value: unknown): unknown {
    for (const tag of this.order) {
      if (tag.check(value)) return tag.tag(value);
    }
    return value;
  }

  /** Converts one tagged object back to its value; anything else is returned as is. */
  untag(value: Record<string, unknown>): unknown {
    let key: string | undefined;
    for (const k in value) {
      if (key !== undefined) return value;
      key = k;
    }
    const tag = key === undefined ? undefined : this.tags.get(key);
    return tag ? tag.toPython(value[key!]) : value;
  }

  dumps(value: unknown): string {
    return this.hasDefaultTags() ? this.encodeDefault(value) : pythonJsonDumps(this.tag(value));
  }

  private hasDefaultTags(): boolean {
    const { order, defaultOrder } = this;
    if (order.length !== defaultOrder.length || this.tag !== TaggedJSONSerializer.prototype.tag) return false;
    for (let i = 0; i < order.length; i += 1) if (order[i] !== defaultOrder[i]) return false;
    return true;
  }

  /**
   * `pythonJsonDumps(this.tag(value))` in one pass, for the default tags: plain values, lists and
   * dicts (the bulk of a session) are written directly instead of being copied by `tag()` first.
   * Every other value goes through `tag()`, so the bytes are the same (a property test checks).
   */
  private encodeDefault(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return encodePythonString(value);
      case 'number':
        return encodePythonNumber(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object': {
        if (value === null) return 'null';
        if (Array.isArray(value)) {
          const list = encodePythonArray(value, this.encodeItem);
          return value instanceof Tuple ? `{" t":${list}}` : list;
        }
        if (!isPlainObject(value) || hasHtml(value)) break; // Markup even as an object literal
        const keys = Object.keys(value);
        if (keys.length === 1 && this.tags.has(keys[0]!)) break; // TagDict's escaping
        return encodePythonObject(value, sortKeysByCodePoint(keys), this.encodeItem);
      }
      default:
        break;
    }
    return pythonJsonDumps(this.tag(value));
  }

  loads(text: string): unknown {
    return this.untagScan(pythonJsonLoads(text, { maxDepth: this.maxDepth }));
  }

  /**
   * `loads()` of a text already parsed: `json` is what {@link pythonJsonLoads} returned for it
   * (or a copy), and is untagged in place. For callers that keep parsed payloads (the
   * verified-cookie cache hands each request its own copy).
   */
  loadsParsed(json: unknown): unknown {
    return this.untagScan(json);
  }

  // Bottom-up, as Flask 3.0.1+: inner values are untagged before the object holding them.
  private untagScan(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = this.untagScan(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      const untagged = this.untagScan(item);
      if (untagged !== item) setOwn(record, key, untagged);
    }
    return this.untag(record);
  }
}

/** One shared instance, as Flask's `session_json_serializer`. */
export const sessionJsonSerializer = new TaggedJSONSerializer();
