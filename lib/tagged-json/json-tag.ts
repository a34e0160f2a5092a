import { NotImplementedError } from '../common/not-implemented.error.js';
import type { TaggedJSONSerializer } from './tagged-json.serializer.js';

export { NotImplementedError };

/**
 * One type known to {@link TaggedJSONSerializer} (Flask's `JSONTag`). A tagged value is written
 * as the one-item object `{ [key]: toJson(value) }`; subclasses set `key` and the three methods.
 */
export class JSONTag {
  /** Starts with a space by convention; an empty key means "no wrapper" (dicts and lists). */
  readonly key: string = '';

  constructor(protected readonly serializer: TaggedJSONSerializer | null) {}

  /** Whether this tag handles `value`. */
  check(_value: unknown): boolean {
    throw new NotImplementedError(`${this.constructor.name}.check is not implemented`);
  }

  /** The JSON-compatible form of `value` (without the tag wrapper). */
  toJson(_value: unknown): unknown {
    throw new NotImplementedError(`${this.constructor.name}.toJson is not implemented`);
  }

  /** The value back from its JSON form. */
  toPython(_value: unknown): unknown {
    throw new NotImplementedError(`${this.constructor.name}.toPython is not implemented`);
  }

  tag(value: unknown): unknown {
    const wrapped = Object.create(null) as Record<string, unknown>;
    wrapped[this.key] = this.toJson(value);
    return wrapped;
  }

  protected get owner(): TaggedJSONSerializer {
    if (!this.serializer) throw new TypeError(`${this.constructor.name} needs a serializer`);
    return this.serializer;
  }
}

/** Constructor of a tag, as `register()` takes it. */
export type JSONTagClass = new (serializer: TaggedJSONSerializer) => JSONTag;
