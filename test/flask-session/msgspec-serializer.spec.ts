import { Markup, Tuple, UUID } from '../../lib/tagged-json/index.js';
import { MsgspecSerializer } from '../../lib/flask-session/index.js';

/** What msgspec 0.22 writes for the same values (`msgspec.msgpack.encode(...).hex()`, Flask-Session 0.8's encoder). */
const MSGSPEC = {
  mixed:
    '8aa16101a164d7ff1d53530065937d25a26432d6ff00000000a162c403010203a16ec0a166cb3ff8000000000000a36e6567fba173a668c3a96c6c6fa361727292019102a46e65737481a17881a179c3',
  proto: '82a95f5f70726f746f5f5f81a17801a16b92c003',
  strings: '83a1749201a161a175d92430303030303030302d303030302d303030302d303030302d303030303030303030303035a16da33c623e',
  sizes:
    '82a46c6f6e67d92878787878787878787878787878787878787878787878787878787878787878787878787878787878a46d616e79dc0014000102030405060708090a0b0c0d0e0f10111213',
  dates: '82a164d7ff000000026cb5db00a165c70cff000f4240ffffffffedd689d9',
  naiveDate: '81a56e61697665ba323032342d30312d30325430333a30343a30352e303030303036',
};

const hex = (text: string) => Buffer.from(text, 'hex');

describe('MsgspecSerializer (Flask-Session 0.8 encoding)', () => {
  let msgpack: MsgspecSerializer;
  let json: MsgspecSerializer;
  beforeAll(async () => {
    msgpack = await MsgspecSerializer.create('msgpack');
    json = await MsgspecSerializer.create('json');
  });

  const mixed = () => ({
    a: 1,
    d: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123)),
    d2: new Date(0),
    b: Buffer.from([1, 2, 3]),
    n: null,
    f: 1.5,
    neg: -5,
    s: 'héllo',
    arr: [1, [2]],
    nest: { x: { y: true } },
  });

  it('writes MessagePack byte for byte as msgspec does: timestamps, bin, smallest headers', () => {
    expect(msgpack.encode(mixed()).toString('hex')).toBe(MSGSPEC.mixed);
    expect(
      msgpack.encode(JSON.parse('{"__proto__":{"x":1},"k":[null,3]}') as Record<string, unknown>).toString('hex'),
    ).toBe(MSGSPEC.proto);
    expect(
      msgpack.encode({ long: 'x'.repeat(40), many: Array.from({ length: 20 }, (_, i) => i) }).toString('hex'),
    ).toBe(MSGSPEC.sizes);
    expect(
      msgpack
        .encode({ d: new Date(Date.UTC(2300, 0, 1)), e: new Date(Date.UTC(1960, 4, 6, 7, 8, 9, 1)) })
        .toString('hex'),
    ).toBe(MSGSPEC.dates);
  });

  it('writes a Tuple or Set as an array, a UUID as its canonical text, Markup as its text (what msgspec does with them)', () => {
    const data = {
      t: Tuple.of<unknown>(1, 'a'),
      u: new UUID('00000000-0000-0000-0000-000000000005'),
      m: new Markup('<b>'),
    };
    expect(msgpack.encode(data).toString('hex')).toBe(MSGSPEC.strings);
    expect(msgpack.decode(msgpack.encode({ s: new Set([1, 2]) }))).toEqual({ s: [1, 2] });
  });

  it('writes whole numbers beyond 32 bits as integers, not floats, so Python reads an int', () => {
    const encoded = msgpack.encode({ now: 1764489600000, neg: -(2 ** 40), big: 2n ** 60n, float: 0.5 });
    // 0xd3: int64 (msgspec writes a positive one as uint64 0xcf; msgspec reads both as the same int:
    // {'now': 1764489600000, 'neg': -1099511627776, 'big': 1152921504606846976, 'float': 0.5}).
    expect(encoded.toString('hex')).toBe(
      '84a36e6f77d30000019ad3c69c00a36e6567d3ffffff0000000000a3626967d31000000000000000a5666c6f6174cb3fe0000000000000',
    );
    expect(msgpack.decode(encoded)).toEqual({ now: 1764489600000, neg: -(2 ** 40), big: 2n ** 60n, float: 0.5 });
  });

  it('reads what msgspec writes: Date (to the millisecond), Buffer, arrays, a naive datetime as its text, __proto__ as a plain key', () => {
    expect(msgpack.decode(hex(MSGSPEC.mixed))).toEqual(mixed());
    expect(msgpack.decode(hex(MSGSPEC.dates))).toEqual({
      d: new Date(Date.UTC(2300, 0, 1)),
      e: new Date(Date.UTC(1960, 4, 6, 7, 8, 9, 1)),
    });
    expect(msgpack.decode(hex(MSGSPEC.naiveDate))).toEqual({ naive: '2024-01-02T03:04:05.000006' });
    const proto = msgpack.decode(hex(MSGSPEC.proto));
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__', 'k']);
    expect(proto['__proto__']).toEqual({ x: 1 });
    expect(msgpack.decode(hex('83a16ecf0020000000000000a16dd3f000000000000000a173cf001fffffffffffff'))).toEqual({
      n: 2n ** 53n,
      m: -(2n ** 60n),
      s: 2 ** 53 - 1,
    });
  });

  it('writes JSON as msgspec.json does: RFC 3339 with microseconds, base64 bytes, compact, UTF-8', () => {
    expect(json.encode(mixed()).toString('utf8')).toBe(
      '{"a":1,"d":"2024-01-02T03:04:05.123000Z","d2":"1970-01-01T00:00:00Z","b":"AQID","n":null,"f":1.5,"neg":-5,"s":"héllo","arr":[1,[2]],"nest":{"x":{"y":true}}}',
    );
    expect(json.encode({ nan: Number.NaN, gone: undefined, list: [undefined] }).toString('utf8')).toBe(
      '{"nan":null,"list":[null]}',
    );
  });

  it('each format reads the other, the configured one first, as Flask-Session does', () => {
    const data = { user: 'alice', n: 3 };
    expect(json.decode(msgpack.encode(data))).toEqual(data);
    expect(msgpack.decode(json.encode(data))).toEqual(data);
  });

  it.each([
    [
      'a pickled session (Flask-Session < 0.7)',
      Buffer.from('80049510000000000000007d948c0475736572948c05616c69636594732e', 'hex'),
    ],
    ['a MessagePack value that is not a map', hex('93010203')],
    ['JSON that is not an object', Buffer.from('[1,2]')],
    ['an unknown MessagePack extension', hex('81a178d40500')],
    ['truncated MessagePack', hex(MSGSPEC.mixed).subarray(0, 20)],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ])('refuses %s with an error (the interface then starts a fresh session)', (_name, raw) => {
    expect(() => msgpack.decode(raw)).toThrow();
    expect(() => json.decode(raw)).toThrow();
  });

  it.each([
    ['a Map', new Map([[1, 2]])],
    [
      'a class instance',
      new (class Point {
        x = 1;
      })(),
    ],
    ['a function', () => 1],
    ['an invalid Date', new Date(Number.NaN)],
    ['a Date after year 9999', new Date(Date.UTC(10000, 0, 1))],
    ['an integer beyond 64 bits', 2n ** 64n],
  ])('refuses to write %s, which Flask could not read back', (_name, value) => {
    expect(() => msgpack.encode({ value })).toThrow(TypeError);
    expect(() => json.encode({ value })).toThrow(TypeError);
  });

  it('refuses an unknown format', async () => {
    await expect(MsgspecSerializer.create('pickle' as 'json')).rejects.toThrow(
      "Unsupported serialization format: 'pickle'",
    );
  });
});
