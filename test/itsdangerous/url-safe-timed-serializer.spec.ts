/**
 * URLSafeTimedSerializer as Flask configures it: defaults, dumps, loads case by case, properties,
 * then itsdangerous' own tests/test_itsdangerous/test_url_safe.py, ported.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  jsonSerializer,
  SignatureExpired,
  TimestampSigner,
  URLSafeTimedSerializer,
  type TextSerializer,
  type URLSafeTimedSerializerOptions,
} from '../../lib/itsdangerous/index.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { catchError } from '../support/catch-error.js';
import {
  freezeTime,
  testSerializer,
  testTimedSerializer,
  type SerializerSuiteParams,
} from '../support/itsdangerous-suites.js';

const SEED = 20261122;
const T0 = 1700000000;
const flaskOptions = { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1' } as const;

describe('defaults are itsdangerous\' (salt "itsdangerous", django-concat, sha1, compact JSON)', () => {
  // URLSafeTimedSerializer('k') with the clock at 1700000000, itsdangerous 2.1.2.
  const s = new URLSafeTimedSerializer('k', { now: () => T0 });

  it.each([
    [{ a: 1 }, 'eyJhIjoxfQ.ZVPxAA.4g1HSEQ_RX7fgIj7iX9OnsvBOZY'],
    [
      { b: Array.from({ length: 60 }, (_, i) => (i % 3) + 1) },
      '.eJyrVkpSsoo21DHSMdahOxlbCwAiVxht.ZVPxAA.gtLtjcTcsjCbNceUAUnK2ZTlz6s',
    ],
    [['x'], 'WyJ4Il0.ZVPxAA.94cdJI4XpX3K1EO3Y7KRY3BFpZg'],
  ])('dumps(%j) as Python does', (value, cookie) => {
    expect(s.dumps(value)).toBe(cookie);
    expect(s.loads(cookie)).toEqual(value);
  });

  it('uses jsonSerializer: compact JSON.stringify / JSON.parse', () => {
    expect(s.serializer).toBe(jsonSerializer);
    expect(jsonSerializer.dumps({ a: [1, { b: 'c' }] })).toBe('{"a":[1,{"b":"c"}]}');
    expect(jsonSerializer.loads('{"a":[1,{"b":"c"}]}')).toEqual({ a: [1, { b: 'c' }] });
  });
});

describe('loads, case by case as itsdangerous URLSafeTimedSerializer.loads decides (secret "test key", Flask settings, default JSON serializer)', () => {
  const COOKIE = 'eyJuYW1lIjoiYWxpY2UiLCJ1c2VyX2lkIjo0Mn0.ZVPxAA.FDKVgqPmIWNvDD8SnblR4-PQdhk';
  const SIG = 'FDKVgqPmIWNvDD8SnblR4-PQdhk';
  const s = new URLSafeTimedSerializer('test key', { ...flaskOptions, now: () => T0 });

  it('valid → {"name":"alice","user_id":42}', () => {
    expect(s.loads(COOKIE, { maxAge: 2678400 })).toEqual({ name: 'alice', user_id: 42 });
    expect(s.dumps({ name: 'alice', user_id: 42 })).toBe(COOKIE);
    const { value, timestamp } = s.loadsWithTimestamp(COOKIE, { maxAge: 2678400 });
    expect(value).toEqual({ name: 'alice', user_id: 42 });
    expect(timestamp.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  const rejected: Array<[string, string, typeof BadSignature, string | RegExp]> = [
    ['empty', '', BadSignature, 'No "." found in value'],
    ['"abc"', 'abc', BadSignature, 'No "." found in value'],
    ['"abc.def"', 'abc.def', BadSignature, 'Signature "def" does not match'],
    ['signature truncated by 1 character', COOKIE.slice(0, -1), BadTimeSignature, /^Signature ".*" does not match$/],
    [
      'a space inserted into the signature',
      COOKIE.replace(SIG, `${SIG.slice(0, 5)} ${SIG.slice(5)}`),
      BadTimeSignature,
      /does not match/,
    ],
    ['signature + "A"', `${COOKIE}A`, BadTimeSignature, /does not match/],
    ['timestamp segment changed', COOKIE.replace('ZVPxAA', 'ZVPxAB'), BadTimeSignature, /does not match/],
    ['timestamp segment + "=="', COOKIE.replace('ZVPxAA', 'ZVPxAA=='), BadTimeSignature, /does not match/],
    // Python's lenient base64 ACCEPTS the next four; our strict decoder rejects them (a
    // deliberate, documented deviation: Flask never writes these spellings).
    ['signature + "=" (Python: accepted)', `${COOKIE}=`, BadTimeSignature, /does not match/],
    ['signature + "!!" (Python: accepted)', `${COOKIE}!!`, BadTimeSignature, /does not match/],
    ['"-" changed to "+" (Python: accepted)', COOKIE.replace('4-PQ', '4+PQ'), BadTimeSignature, /does not match/],
    [
      'a non-ASCII character inserted (Python: accepted)',
      COOKIE.replace(SIG, `${SIG.slice(0, 5)}é${SIG.slice(5)}`),
      BadTimeSignature,
      /does not match/,
    ],
  ];

  it.each(rejected)('%s → %p', (_label, input, errorClass, message) => {
    const error = catchError(() => s.loads(input, { maxAge: 2678400 })) as Error;
    expect(error).toBeInstanceOf(errorClass);
    if (errorClass === BadSignature) expect(error).not.toBeInstanceOf(BadTimeSignature);
    else expect(error).not.toBeInstanceOf(SignatureExpired);
    expect(error.message).toMatch(message);
  });
});

describe('dumps', () => {
  const s = new URLSafeTimedSerializer('k', { ...flaskOptions, serializer: passThroughSerializer, now: () => T0 });

  it('compresses only when that saves at least 2 bytes (the `.` prefix marks it)', () => {
    expect(s.dumpPayload('{"a":1}')).toBe('eyJhIjoxfQ');
    expect(s.dumpPayload(`{"a":"${'x'.repeat(100)}"}`).startsWith('.eJ')).toBe(true);
  });

  it('builds its TimestampSigner for its own salt once and reuses it; a per-call salt gets its own', () => {
    const signer = s.makeSigner();
    expect(signer).toBeInstanceOf(TimestampSigner);
    expect(s.signer).toBe(TimestampSigner);
    s.dumps('{}');
    s.loads(s.dumps('{}'));
    expect(s.makeSigner()).toBe(signer);
    expect(s.makeSigner(null)).toBe(signer);
    expect(s.makeSigner('other')).not.toBe(signer);
    expect([...s.iterUnsigners()]).toEqual([signer]);
  });
});

describe('loads: BadPayload under a valid signature', () => {
  const raw = new TimestampSigner('k', { ...flaskOptions, now: () => T0 });
  const s = new URLSafeTimedSerializer('k', { ...flaskOptions, now: () => T0, maxPayloadSize: 1024 });
  const payloadError = (payload: string, serializer?: URLSafeTimedSerializer) => {
    const error = catchError(() => (serializer ?? s).loads(raw.sign(payload), { maxAge: 60 })) as BadPayload;
    expect(error).toBeInstanceOf(BadPayload);
    expect(error).not.toBeInstanceOf(BadSignature);
    return error;
  };

  it.each([
    ['not base64url', '!!!', 'Could not base64 decode the payload because of an exception'],
    ['non-canonical base64url', 'e30=', 'Could not base64 decode the payload because of an exception'],
    ['compressed but not base64url', '.!!!', 'Could not base64 decode the payload because of an exception'],
    ['compressed but not zlib', '.bm90IHpsaWI', 'Could not zlib decompress the payload before decoding the payload'],
    [
      'invalid UTF-8',
      'eyJrIjoi__4ifQ',
      'Could not load the payload because an exception occurred on unserializing the data.',
    ],
    [
      'truncated JSON',
      'eyJ1bnRlcm1pbmF0ZWQiOiA',
      'Could not load the payload because an exception occurred on unserializing the data.',
    ],
    ['an empty payload', '', 'Could not load the payload because an exception occurred on unserializing the data.'],
  ])('%s', (_label, payload, message) => {
    const error = payloadError(payload);
    expect(error.message).toBe(message);
    expect(error.originalError).not.toBeNull();
  });

  it("keeps the serializer's own exception as originalError", () => {
    const failure = new Error('bad tag');
    const throwing: TextSerializer = {
      dumps: String,
      loads: () => {
        throw failure;
      },
    };
    const strict = new URLSafeTimedSerializer('k', { ...flaskOptions, serializer: throwing, now: () => T0 });
    expect(payloadError('e30', strict).originalError).toBe(failure);
  });

  it('ignores bytes after the end of the zlib stream, as Python does', () => {
    const body = Buffer.concat([deflateSync(Buffer.from('{"a":1}')), Buffer.from('junk')]);
    expect(s.loads(raw.sign(`.${body.toString('base64url')}`))).toEqual({ a: 1 });
  });

  it('maxPayloadSize bounds the decoded payload, compressed or not; equal is fine', () => {
    const json = (size: number) => `{"a":"${'x'.repeat(size - 8)}"}`;
    expect(json(1024)).toHaveLength(1024);
    expect(s.loads(raw.sign(Buffer.from(json(1024)).toString('base64url')))).toEqual(JSON.parse(json(1024)));
    expect(s.loads(raw.sign(`.${deflateSync(json(1024)).toString('base64url')}`))).toEqual(JSON.parse(json(1024)));
    for (const payload of [
      Buffer.from(json(1025)).toString('base64url'),
      `.${deflateSync(json(1025)).toString('base64url')}`,
    ]) {
      expect(payloadError(payload).message).toBe('The payload is larger than maxPayloadSize (1024 bytes)');
    }
  });

  it('a validly signed zlib bomb (10 MB of zeros) is refused quickly with BadPayload', () => {
    const flask = new URLSafeTimedSerializer('k', { ...flaskOptions, now: () => T0 }); // default cap, 256 KiB
    const bomb = `.${deflateSync(Buffer.alloc(10 * 1024 * 1024)).toString('base64url')}`;
    expect(bomb.length).toBeLessThan(14_000);
    const started = process.hrtime.bigint();
    expect(payloadError(bomb, flask).message).toBe('The payload is larger than maxPayloadSize (262144 bytes)');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  it('rejects a maxPayloadSize that is not a positive integer', () => {
    for (const maxPayloadSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new URLSafeTimedSerializer('k', { maxPayloadSize })).toThrow(RangeError);
    }
  });
});

describe('loads: signature and age errors come from the TimestampSigner', () => {
  const s = (now: number) => new URLSafeTimedSerializer(['old', 'new'], { ...flaskOptions, now: () => now });
  const cookie = s(T0).dumps({ a: 1 });

  it('maxAge edges', () => {
    expect(s(T0 + 60).loads(cookie, { maxAge: 60 })).toEqual({ a: 1 });
    expect(() => s(T0 + 61).loads(cookie, { maxAge: 60 })).toThrow(SignatureExpired);
    expect(() => s(T0 - 1).loads(cookie, { maxAge: 60 })).toThrow('Signature age -1 < 0 seconds');
    expect(s(T0 - 1).loads(cookie)).toEqual({ a: 1 });
  });

  it('key rotation: the last key signs, every key verifies, a retired key does not', () => {
    const onlyNew = new URLSafeTimedSerializer('new', { ...flaskOptions, now: () => T0 });
    const onlyOld = new URLSafeTimedSerializer('old', { ...flaskOptions, now: () => T0 });
    expect(cookie).toBe(onlyNew.dumps({ a: 1 }));
    expect(s(T0).loads(onlyOld.dumps({ b: 2 }))).toEqual({ b: 2 });
    expect(() => onlyNew.loads(onlyOld.dumps({ b: 2 }))).toThrow(BadTimeSignature);
  });

  it('other digests and salts do not cross-verify', () => {
    const sha256 = new URLSafeTimedSerializer('k', { ...flaskOptions, digestMethod: 'sha256', now: () => T0 });
    const sha512 = new URLSafeTimedSerializer('k', { ...flaskOptions, digestMethod: 'sha512', now: () => T0 });
    const otherSalt = new URLSafeTimedSerializer('k', { ...flaskOptions, salt: 'other', now: () => T0 });
    for (const a of [sha256, sha512, otherSalt]) {
      expect(a.loads(a.dumps({ a: 1 }))).toEqual({ a: 1 });
      for (const b of [sha256, sha512, otherSalt])
        if (a !== b) expect(() => b.loads(a.dumps({ a: 1 }))).toThrow(BadTimeSignature);
    }
    expect(sha512.dumps({ a: 1 }).split('.').pop()).toHaveLength(86);
  });
});

describe('properties (fast-check, fixed seed)', () => {
  const s = new URLSafeTimedSerializer(['a', 'b'], { ...flaskOptions, now: () => T0 });

  it('loads(dumps(x)) equals x for JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Through JSON once: -0 becomes 0, which is what JSON can carry.
        expect(s.loads(s.dumps(value), { maxAge: 0 })).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('arbitrary strings and mutated cookies only ever throw BadData subclasses', () => {
    const valid = s.dumps({ user: 'alice', cart: Array.from({ length: 30 }, (_, i) => i) });
    const validPlain = s.dumps({ u: 1 });
    const mutations = (cookie: string) => [
      fc.nat({ max: cookie.length }).map((n) => cookie.slice(0, n)),
      fc
        .tuple(fc.nat({ max: cookie.length - 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
        .map(([i, c]) => cookie.slice(0, i) + c + cookie.slice(i + 1)),
      fc
        .tuple(fc.nat({ max: cookie.length }), fc.constantFrom('.', '..', '=', '=='))
        .map(([i, c]) => cookie.slice(0, i) + c + cookie.slice(i)),
      fc.nat({ max: cookie.length - 1 }).map((i) => cookie.slice(0, i) + cookie.slice(i + 1)),
    ];
    const inputs = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string(),
      fc.stringMatching(/^\.?[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,8}\.[A-Za-z0-9_-]{0,30}$/),
      ...mutations(valid),
      ...mutations(validPlain),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          s.loads(input, { maxAge: 60 });
        } catch (error) {
          expect(error).toBeInstanceOf(BadData);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('validly signed arbitrary payload segments only ever throw BadPayload', () => {
    const raw = new TimestampSigner(['a', 'b'], { ...flaskOptions, now: () => T0 });
    const segments = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.uint8Array({ maxLength: 60 }).map((bytes) => `.${Buffer.from(bytes).toString('base64url')}`),
      fc.uint8Array({ maxLength: 60 }).map((bytes) => `.${deflateSync(bytes).toString('base64url')}`),
    );
    fc.assert(
      fc.property(segments, (segment) => {
        try {
          s.loads(raw.sign(segment), { maxAge: 60 });
        } catch (error) {
          expect(error).toBeInstanceOf(BadPayload);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('itsdangerous 2.2 tests/test_itsdangerous/test_url_safe.py', () => {
  describe('TestURLSafeTimedSerializer (TestURLSafeSerializer and TestTimedSerializer rerun)', () => {
    const clock = freezeTime();
    const params: SerializerSuiteParams<URLSafeTimedSerializer> = {
      factories: [
        [
          'URLSafeTimedSerializer',
          (options) => new URLSafeTimedSerializer('secret-key', options as URLSafeTimedSerializerOptions),
        ],
      ],
      values: [
        ['value', { id: 42 }],
        ['zlib', 'a'.repeat(1000)],
      ],
    };
    testSerializer(params);
    testTimedSerializer(params, clock);
  });
});
