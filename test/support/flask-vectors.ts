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

/** A serializer that passes payload text through, for signing hand-made (or hostile) payloads. */
export const passThroughSerializer = { dumps: (value: unknown) => value as string, loads: (text: string) => text };
