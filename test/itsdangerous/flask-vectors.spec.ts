/**
 * Every vector of test/fixtures/flask-vectors.json through the signing layer alone. The payload is
 * passed through as text (the vectors' `tagged` is already Flask's tagged JSON), so these tests
 * check signing, timestamps, compression and base64 byte for byte without lib/json; the
 * tagged-JSON side is covered by test/vectors/flask-vectors.spec.ts.
 */
import {
  BadPayload,
  BadSignature,
  BadTimeSignature,
  SignatureExpired,
  URLSafeTimedSerializer,
  type TextSerializer,
} from '../../lib/itsdangerous/index.js';
import { flaskVectors, passThroughSerializer, QUIRK_VECTOR_NAMES, type FlaskVector } from '../support/flask-vectors.js';

const FLASK_MAX_AGE = 2678400; // PERMANENT_SESSION_LIFETIME, 31 days

/** Pass-through that, like any JSON serializer, refuses text that is not JSON. */
const jsonCheckingPassThrough: TextSerializer = {
  dumps: (value) => value as string,
  loads: (text) => {
    JSON.parse(text);
    return text;
  },
};

function serializerFor(vector: FlaskVector, now: number, serializer: TextSerializer): URLSafeTimedSerializer {
  return new URLSafeTimedSerializer(vector.secret_keys, {
    salt: vector.salt,
    digestMethod: vector.digest,
    keyDerivation: 'hmac',
    serializer,
    now: () => now,
  });
}

function outcome(fn: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

const ERROR_CLASSES = { BadSignature, BadTimeSignature, SignatureExpired, BadPayload } as const;
// What each expected class must NOT also be: the expectation names the most specific class.
const NARROWER = {
  BadSignature: [BadTimeSignature],
  BadTimeSignature: [SignatureExpired],
  SignatureExpired: [],
  BadPayload: [BadSignature],
} as const;

/** Rejected only by Flask's tag decoder (lib/json), which this layer deliberately does not know. */
const TAG_LEVEL = new Set(['open/bad-payload-bad-tag']);
/** Valid JSON that Flask re-dumps differently; compare parsed values. */
const NON_CANONICAL = new Set(['open/foreign-noncanonical-json']);

const mints = flaskVectors.filter((v) => v.mode === 'mint');
const opens = flaskVectors.filter((v) => v.mode === 'open' && !v.quirk && !TAG_LEVEL.has(v.name));
const lenientBase64 = flaskVectors.filter((v) => v.category === 'lenient-base64');

it('covers every vector of the fixture', () => {
  const covered = mints.length + opens.length + TAG_LEVEL.size + lenientBase64.length;
  expect(covered).toBe(flaskVectors.length);
  expect(flaskVectors).toHaveLength(67);
  // The only quirks: two lenient-base64 open vectors and two mint vectors that pass as text here.
  expect(
    flaskVectors
      .filter((v) => v.quirk)
      .map((v) => v.name)
      .sort(),
  ).toEqual(QUIRK_VECTOR_NAMES);
});

describe('mint vectors: byte for byte (proves pako matches Python zlib on the compressed ones)', () => {
  // Includes the quirks mint/timestamp-tiny (ts 0, empty segment) and mint/scalars-python-repr
  // (Python float spellings, which pass here because the payload is text).
  it.each(mints.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const serializer = serializerFor(vector, vector.timestamp!, passThroughSerializer);
    expect(serializer.dumps(vector.tagged)).toBe(vector.cookie);
    expect(serializer.loads(vector.cookie, { maxAge: FLASK_MAX_AGE })).toBe(vector.tagged);
    expect(vector.cookie.startsWith('.')).toBe(vector.compressed);
  });
});

describe('open vectors', () => {
  it.each(opens.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const serializer = serializerFor(vector, vector.now!, jsonCheckingPassThrough);
    const result = outcome(() => serializer.loads(vector.cookie, { maxAge: vector.max_age! }));
    if (vector.expect === 'ok') {
      expect(result).toHaveProperty('value');
      const text = (result as { value: string }).value;
      if (NON_CANONICAL.has(vector.name)) expect(JSON.parse(text)).toEqual(JSON.parse(vector.expect_tagged!));
      else expect(text).toBe(vector.expect_tagged);
      return;
    }
    expect(result).toHaveProperty('error');
    const { error } = result as { error: unknown };
    expect(error).toBeInstanceOf(ERROR_CLASSES[vector.expect!]);
    for (const narrower of NARROWER[vector.expect!]) expect(error).not.toBeInstanceOf(narrower);
  });

  it('open/bad-payload-bad-tag: verified here, rejected by the tag decoder, which makes it BadPayload', () => {
    const vector = flaskVectors.find((v) => v.name === 'open/bad-payload-bad-tag')!;
    expect(vector.expect).toBe('BadPayload');
    const open = (serializer: TextSerializer) =>
      serializerFor(vector, vector.now!, serializer).loads(vector.cookie, { maxAge: vector.max_age! });
    expect(open(jsonCheckingPassThrough)).toBe('{"id":{" u":"not-a-uuid"}}');
    const tagDecoderFailure = new Error('badly formed hexadecimal UUID string');
    const error = outcome(() =>
      open({
        dumps: String,
        loads: () => {
          throw tagDecoderFailure;
        },
      }),
    );
    expect((error as { error: BadPayload }).error).toBeInstanceOf(BadPayload);
    expect((error as { error: BadPayload }).error.originalError).toBe(tagDecoderFailure);
  });
});

describe('quirks decided on purpose', () => {
  // DECISION: Python's base64 decoder accepts `=` padding and ignores unused low bits, so these
  // non-canonical spellings of a valid signature open in Flask. Flask never writes them; we decode
  // strictly and canonically, so they are REJECTED (BadTimeSignature: the timestamp is readable).
  it.each(lenientBase64.map((v) => [v.name, v] as const))(
    '%s is rejected, although Python accepts it',
    (_name, vector) => {
      expect(vector.quirk).toBe(true);
      expect(vector.expect).toBe('ok');
      const serializer = serializerFor(vector, vector.now!, jsonCheckingPassThrough);
      const { error } = outcome(() => serializer.loads(vector.cookie, { maxAge: vector.max_age! })) as {
        error: BadTimeSignature;
      };
      expect(error).toBeInstanceOf(BadTimeSignature);
      expect(error).not.toBeInstanceOf(SignatureExpired);
      expect(error.dateSigned?.getTime()).toBe(vector.timestamp! * 1000);

      // The canonical spelling of the same signature opens.
      const canonical = flaskVectors.find((v) => v.name === 'open/ok')!;
      expect(vector.cookie).not.toBe(canonical.cookie);
      expect(vector.cookie.slice(0, vector.cookie.lastIndexOf('.'))).toBe(
        canonical.cookie.slice(0, canonical.cookie.lastIndexOf('.')),
      );
      expect(serializer.loads(canonical.cookie, { maxAge: vector.max_age! })).toBe(vector.expect_tagged);
    },
  );
});
