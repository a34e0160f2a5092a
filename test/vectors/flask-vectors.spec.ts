/**
 * Cookies minted by real Flask (test/fixtures/flask-vectors.json): each one we mint is the same
 * byte for byte, each Flask cookie opens here with the same data, and the quirks where we decided
 * to differ are pinned.
 */
import { TaggedJSONSerializer } from '../../lib/tagged-json/index.js';
import {
  BadPayload,
  BadSignature,
  BadTimeSignature,
  SignatureExpired,
  URLSafeTimedSerializer,
} from '../../lib/itsdangerous/index.js';
import { flaskVectors, type FlaskVector } from '../support/flask-vectors.js';

const fixture = { vectors: flaskVectors };
type Vector = FlaskVector;
const tagged = new TaggedJSONSerializer();

function serializerFor(vector: Vector, now: number) {
  return new URLSafeTimedSerializer(vector.secret_keys, {
    salt: vector.salt,
    digestMethod: vector.digest,
    keyDerivation: 'hmac',
    serializer: tagged,
    now: () => now,
  });
}

// The most specific class each expectation names; a vector must throw exactly that class.
const ERROR_CLASSES = { BadSignature, BadTimeSignature, SignatureExpired, BadPayload } as const;
const NARROWER: Record<string, Array<new (...args: never[]) => Error>> = {
  BadSignature: [BadTimeSignature],
  BadTimeSignature: [SignatureExpired],
  SignatureExpired: [],
  BadPayload: [],
};

/**
 * Our documented number decision: a JS number with an integral value is written as a Python
 * int, so Python's `34.0` comes back as `34`. Vectors whose payload holds such a float can only
 * match once those `.0`s are dropped; everything else about them must still match.
 */
const INTEGRAL_FLOAT = /(?<=[:[,])(-?\d+)\.0(?=[,\]}])/g;
const asJsNumbers = (text: string) => text.replace(INTEGRAL_FLOAT, '$1');
const withIntegralFloats = fixture.vectors.filter(
  (v) => !v.quirk && v.tagged !== null && asJsNumbers(v.tagged) !== v.tagged,
);

const mintVectors = fixture.vectors.filter((v) => v.mode === 'mint' && !v.quirk);
const openVectors = fixture.vectors.filter((v) => v.mode === 'open' && !v.quirk);

describe('Flask vectors: mint (signing + tagged JSON, byte for byte)', () => {
  it.each(mintVectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const serializer = serializerFor(vector, vector.timestamp!);
    const value = tagged.loads(vector.tagged!);
    const expected = asJsNumbers(vector.tagged!);
    if (expected === vector.tagged) expect(serializer.dumps(value)).toBe(vector.cookie);
    else expect(serializer.loads(serializer.dumps(value), { maxAge: 2678400 })).toEqual(value);
    expect(tagged.dumps(serializer.loads(vector.cookie, { maxAge: 2678400 }))).toBe(expected);
  });

  it('only these vectors hold integral Python floats (34.0), which read back as JS integers', () => {
    expect(withIntegralFloats.map((v) => v.name)).toEqual(['mint/compressed-cart', 'open/ok-compressed']);
  });
});

describe('Flask vectors: open', () => {
  it.each(openVectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const serializer = serializerFor(vector, vector.now!);
    const open = () => serializer.loads(vector.cookie, { maxAge: vector.max_age! });
    if (vector.expect === 'ok') {
      expect(tagged.dumps(open())).toBe(asJsNumbers(vector.expect_tagged!));
      return;
    }
    let caught: unknown;
    try {
      open();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ERROR_CLASSES[vector.expect!]);
    for (const narrower of NARROWER[vector.expect!]!) expect(caught).not.toBeInstanceOf(narrower);
  });
});

describe('Flask vectors: quirks decided on purpose', () => {
  const quirk = (name: string) => fixture.vectors.find((v) => v.name === name)!;

  it('mint/timestamp-tiny: timestamp 0 is an empty segment, reproduced exactly', () => {
    const vector = quirk('mint/timestamp-tiny');
    expect(serializerFor(vector, 0).dumps(tagged.loads(vector.tagged!))).toBe(vector.cookie);
  });

  it("mint/scalars-python-repr: Flask's cookie opens; JS numbers keep every value exactly except the float/int distinction of 1.0", () => {
    const vector = quirk('mint/scalars-python-repr');
    const value = serializerFor(vector, vector.timestamp!).loads(vector.cookie, { maxAge: 2678400 }) as Record<
      string,
      unknown
    >;
    expect(value).toEqual({ big: 1e16, bigint: 9223372036854775813n, huge: 1.5e300, negzero: -0, one: 1, small: 1e-5 });
    expect(Object.is(value.negzero, -0)).toBe(true);
    // Decision: a JS number with an integral value prints as a Python int, so Python's 1.0 comes back as 1.
    expect(tagged.dumps(value)).toBe(
      '{"big":1e+16,"bigint":9223372036854775813,"huge":1.5e+300,"negzero":-0.0,"one":1,"small":1e-05}',
    );
  });

  it.each(['open/lenient-signature-padding', 'open/lenient-signature-unused-bits'])(
    "%s: Python's lenient base64 accepts it; we reject it (Flask never writes such a signature)",
    (name) => {
      const vector = quirk(name);
      expect(() => serializerFor(vector, vector.now!).loads(vector.cookie, { maxAge: vector.max_age! })).toThrow(
        BadSignature,
      );
    },
  );

  it('every quirk vector is covered by a test above', () => {
    expect(
      fixture.vectors
        .filter((v) => v.quirk)
        .map((v) => v.name)
        .sort(),
    ).toEqual([
      'mint/scalars-python-repr',
      'mint/timestamp-tiny',
      'open/lenient-signature-padding',
      'open/lenient-signature-unused-bits',
    ]);
  });
});
