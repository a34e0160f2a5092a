/**
 * Turns values into text and back: what a signing serializer's `serializer` option takes
 * (itsdangerous' "serializer module"). `TaggedJSONSerializer` is the one Flask's sessions use.
 * `options` are the serializer's own (itsdangerous' `serializer_kwargs`), passed to `dumps` only.
 */
export interface TextSerializer {
  dumps(value: unknown, options?: unknown): string;
  loads(text: string): unknown;
}

/** Options of the JSON serializers: `JSON.stringify`'s own arguments. */
export interface JsonSerializerOptions {
  replacer?: (this: unknown, key: string, value: unknown) => unknown;
}

/**
 * itsdangerous' `_CompactJSON`, the default of the URL-safe serializers: compact separators,
 * non-ASCII written as is, keys in insertion order.
 */
export const jsonSerializer: TextSerializer = {
  dumps: (value, options?: JsonSerializerOptions) => JSON.stringify(value, options?.replacer),
  loads: (text) => JSON.parse(text) as unknown,
};

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Python's `json.dumps` layout: `, ` and `: ` outside strings, DEL and non-ASCII as `\uXXXX`. */
function spaceOut(json: string): string {
  let out = '';
  let start = 0;
  let inString = false;
  for (let i = 0; i < json.length; i += 1) {
    const code = json.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x2c || code === 0x3a) {
      out += `${json.slice(start, i + 1)} `;
      start = i + 1;
    }
  }
  out += json.slice(start);
  return out.replace(NON_ASCII, escapeUnit);
}

/**
 * Python's `json` module with its defaults (`, ` and `: ` separators, `ensure_ascii`), the
 * default of itsdangerous' non-URL-safe `Serializer` and `TimedSerializer`.
 */
export const spacedJsonSerializer: TextSerializer = {
  dumps: (value, options?: JsonSerializerOptions) => {
    const json = JSON.stringify(value, options?.replacer);
    if (json === undefined) throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
    return spaceOut(json);
  },
  loads: (text) => JSON.parse(text) as unknown,
};
