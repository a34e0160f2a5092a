import { readFileSync } from 'node:fs';
import type { DigestMethod } from '../../lib/itsdangerous/index.js';

/** One vector of test/fixtures/flask-vectors.json (shared/flask-vectors/README.md documents the fields). */
export interface FlaskVector {
  name: string;
  category: string;
  mode: 'mint' | 'open';
  secret_keys: string[];
  salt: string;
  digest: DigestMethod;
  timestamp: number | null;
  tagged: string | null;
  cookie: string;
  compressed: boolean;
  now?: number;
  max_age?: number;
  expect?: 'ok' | 'BadSignature' | 'BadTimeSignature' | 'SignatureExpired' | 'BadPayload';
  expect_tagged?: string;
  quirk?: boolean;
}

export const flaskVectors: FlaskVector[] = (
  JSON.parse(readFileSync(new URL('../fixtures/flask-vectors.json', import.meta.url), 'utf8')) as {
    vectors: FlaskVector[];
  }
).vectors;

/** The vectors marked `quirk` (where this library knowingly differs or is lenient); each has a test of its own. */
export const QUIRK_VECTOR_NAMES = [
  'mint/scalars-python-repr',
  'mint/timestamp-tiny',
  'open/lenient-signature-padding',
  'open/lenient-signature-unused-bits',
];

/** A serializer that passes payload text through, for signing hand-made (or hostile) payloads. */
export const passThroughSerializer = { dumps: (value: unknown) => value as string, loads: (text: string) => text };
