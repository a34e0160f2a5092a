/**
 * Codec micro-benchmark: sign + verify (dumps + loads) of one realistic session, for our
 * serializer, cookie-session's keygrip signing, @fastify/secure-session and Flask's own; and seal
 * + open for the encrypted codecs: ours, @fastify/secure-session's and iron-session's.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Keygrip from 'keygrip';
import { createSessionConfig, EncryptedCookieSessionInterface, TaggedJSONSerializer, URLSafeTimedSerializer } from '../lib/index.js';

export interface CodecResult {
  name: string;
  smallOps: number | null;
  largeOps: number | null;
}

/** A session shaped like a real login, as the HTTP benchmark stores it (the Flask cookie is compressed, about 190 bytes). */
export const SMALL_SESSION = { uid: 4242, user: 'alice@example.com', roles: ['admin', 'editor'], csrf: 'f2b6a1c9d03e4e7b9a55c8d1e7f04a3b', n: 17 };
/** ~2 KB that compresses: a cart. */
export const LARGE_SESSION = {
  cart: Array.from({ length: 30 }, (_, i) => ({ sku: `SKU-${10000 + i}`, name: `item ${i}`, qty: (i % 4) + 1, price: 9.99 + i })),
  user: 'alice',
};

function opsPerSecond(seconds: number, run: () => void): number {
  for (let i = 0; i < 200; i += 1) run();
  let ops = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 50; i += 1) run();
    ops += 50;
  }
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

function ours(seconds: number): CodecResult {
  const s = new URLSafeTimedSerializer('benchmark secret', { salt: 'cookie-session', keyDerivation: 'hmac', serializer: new TaggedJSONSerializer() });
  const measure = (value: object) => opsPerSecond(seconds, () => s.loads(s.dumps(value), { maxAge: 2678400 }));
  return { name: 'nest-flask-session (URLSafeTimedSerializer + tagged JSON)', smallOps: measure(SMALL_SESSION), largeOps: measure(LARGE_SESSION) };
}

async function opsPerSecondAsync(seconds: number, run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 50; i += 1) await run();
  let ops = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 10; i += 1) await run();
    ops += 10;
  }
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The encrypted interface's own steps: tagged JSON, (deflate,) AES-256-GCM seal; open, check age, parse. */
function oursEncrypted(seconds: number): CodecResult {
  const iface = new EncryptedCookieSessionInterface();
  const config = createSessionConfig({ SECRET_KEY: 'benchmark secret' });
  const measure = (value: Record<string, unknown>) =>
    opsPerSecond(seconds, () => {
      if (!iface.loadCookieValue(config, iface.dumpCookieValue(config, value)!)) throw new Error('open failed');
    });
  return { name: 'nest-flask-session encrypted (EncryptedCookieSessionInterface, AES-256-GCM + tagged JSON)', smallOps: measure(SMALL_SESSION), largeOps: measure(LARGE_SESSION) };
}

/** iron-session's sealData/unsealData (iron-webcrypto: PBKDF2 key stretching, AES-256-CBC + HMAC-SHA256, async WebCrypto). */
async function ironSession(seconds: number): Promise<CodecResult> {
  const { sealData, unsealData } = await import('iron-session');
  const password = 'benchmark secret, at least 32 characters long';
  const measure = (value: object) =>
    opsPerSecondAsync(seconds, async () => {
      const sealed = await sealData(value, { password, ttl: 2678400 });
      if (!(await unsealData(sealed, { password, ttl: 2678400 }))) throw new Error('unseal failed');
    });
  return { name: 'iron-session (sealData + unsealData)', smallOps: await measure(SMALL_SESSION), largeOps: await measure(LARGE_SESSION) };
}

function cookieSession(seconds: number): CodecResult {
  // cookie-session's own steps: JSON → base64 value, keygrip HMAC-SHA1 over "name=value"; decode reverses.
  const keys = new Keygrip(['benchmark secret']);
  const measure = (value: object) =>
    opsPerSecond(seconds, () => {
      const encoded = Buffer.from(JSON.stringify(value)).toString('base64');
      const signature = keys.sign(`session=${encoded}`);
      if (keys.index(`session=${encoded}`, signature) < 0) throw new Error('bad signature');
      JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    });
  return { name: 'cookie-session (keygrip)', smallOps: measure(SMALL_SESSION), largeOps: measure(LARGE_SESSION) };
}

async function fastifySecureSession(seconds: number): Promise<CodecResult> {
  const { default: Fastify } = await import('fastify');
  const { default: secureSession } = await import('@fastify/secure-session');
  const app = Fastify();
  await app.register(secureSession, { key: randomBytes(32) });
  await app.ready();
  const decorated = app as unknown as {
    createSecureSession(data: object): unknown;
    encodeSecureSession(session: unknown): string;
    decodeSecureSession(cookie: string): unknown;
  };
  const measure = (value: object) =>
    opsPerSecond(seconds, () => {
      // A copy: the session stores the object it is given and adds its own `__ts` key to it.
      const cookie = decorated.encodeSecureSession(decorated.createSecureSession({ ...value }));
      if (!decorated.decodeSecureSession(cookie)) throw new Error('decode failed');
    });
  const result = { name: '@fastify/secure-session (libsodium secretbox)', smallOps: measure(SMALL_SESSION), largeOps: measure(LARGE_SESSION) };
  await app.close();
  return result;
}

const FLASK_SCRIPT = `
import json, sys, time
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
app = Flask("bench"); app.secret_key = "benchmark secret"
seconds = float(sys.argv[1]); out = []
with app.app_context():
    s = SecureCookieSessionInterface().get_signing_serializer(app)
    for value in json.loads(sys.argv[2]):
        for _ in range(200): s.loads(s.dumps(value), max_age=2678400)
        ops = 0; start = time.perf_counter(); end = start + seconds
        while time.perf_counter() < end:
            for _ in range(50): s.loads(s.dumps(value), max_age=2678400)
            ops += 50
        out.append(ops / (time.perf_counter() - start))
print(json.dumps(out))
`;

function flask(seconds: number): CodecResult | null {
  const run = spawnSync('/usr/bin/python3', ['-c', FLASK_SCRIPT, String(seconds), JSON.stringify([SMALL_SESSION, LARGE_SESSION])], { encoding: 'utf8', timeout: 120000 });
  if (run.status !== 0) return null;
  const [smallOps, largeOps] = JSON.parse(run.stdout) as [number, number];
  return { name: "Flask's serializer (Python, itsdangerous)", smallOps, largeOps };
}

export async function runCodecBenchmark(seconds: number): Promise<{ results: CodecResult[]; flaskMissing: boolean }> {
  const results = [ours(seconds), cookieSession(seconds), await fastifySecureSession(seconds), oursEncrypted(seconds), await ironSession(seconds)];
  const flaskResult = flask(seconds);
  if (flaskResult) results.push(flaskResult);
  return { results, flaskMissing: !flaskResult };
}
