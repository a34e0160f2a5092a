/**
 * Codec micro-benchmark: sign + verify (dumps + loads) of one realistic session, for our
 * serializer, cookie-session's keygrip signing, @fastify/secure-session and Flask's own; and seal
 * + open for the encrypted codecs: ours, @fastify/secure-session's and iron-session's.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Keygrip from 'keygrip';
import { createSessionConfig, EncryptedCookieSessionInterface } from '../lib/index.js';
import { TaggedJSONSerializer } from '../lib/tagged-json/public-api.js';
import { URLSafeTimedSerializer } from '../lib/itsdangerous/public-api.js';

export interface CodecResult {
  name: string;
  smallOps: number | null;
  largeOps: number | null;
}

/** A session shaped like a real login, as the HTTP benchmark stores it (the Flask cookie is compressed, about 190 bytes). */
export const SMALL_SESSION = {
  uid: 4242,
  user: 'alice@example.com',
  roles: ['admin', 'editor'],
  csrf: 'f2b6a1c9d03e4e7b9a55c8d1e7f04a3b',
  n: 17,
};
/** ~2 KB that compresses: a cart. */
export const LARGE_SESSION = {
  cart: Array.from({ length: 30 }, (_, i) => ({
    sku: `SKU-${10000 + i}`,
    name: `item ${i}`,
    qty: (i % 4) + 1,
    price: 9.99 + i,
  })),
  user: 'alice',
};

type Session = Record<string, unknown>;

/** One codec: a full round trip (encode then decode) of a session, and what to release afterwards. */
interface Codec {
  name: string;
  roundTrip(value: Session): void | Promise<void>;
  close?(): Promise<void>;
}

/** Round trips per second of `codec` on `value` for about `seconds` (asynchronous codecs are awaited). */
async function opsPerSecond(seconds: number, codec: Codec, value: Session): Promise<number> {
  const asynchronous = codec.roundTrip(value) instanceof Promise;
  const batch = asynchronous ? 10 : 50;
  for (let i = 0; i < (asynchronous ? 50 : 200); i += 1) await codec.roundTrip(value);
  let ops = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    if (asynchronous) for (let i = 0; i < batch; i += 1) await codec.roundTrip(value);
    else for (let i = 0; i < batch; i += 1) codec.roundTrip(value);
    ops += batch;
  }
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

function ours(): Codec {
  const s = new URLSafeTimedSerializer('benchmark secret', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: new TaggedJSONSerializer(),
  });
  return {
    name: 'nest-flask-session (URLSafeTimedSerializer + tagged JSON)',
    roundTrip: (value) => void s.loads(s.dumps(value), { maxAge: 2678400 }),
  };
}

/** The encrypted interface's own steps: tagged JSON, (deflate,) AES-256-GCM seal; open, check age, parse. */
function oursEncrypted(): Codec {
  const iface = new EncryptedCookieSessionInterface();
  const config = createSessionConfig({ SECRET_KEY: 'benchmark secret' });
  return {
    name: 'nest-flask-session encrypted (EncryptedCookieSessionInterface, AES-256-GCM + tagged JSON)',
    roundTrip: (value) => {
      if (!iface.loadCookieValue(config, iface.dumpCookieValue(config, value)!)) throw new Error('open failed');
    },
  };
}

/** iron-session's sealData/unsealData (iron-webcrypto: PBKDF2 key stretching, AES-256-CBC + HMAC-SHA256, async WebCrypto). */
async function ironSession(): Promise<Codec> {
  const { sealData, unsealData } = await import('iron-session');
  const password = 'benchmark secret, at least 32 characters long';
  return {
    name: 'iron-session (sealData + unsealData)',
    roundTrip: async (value) => {
      const sealed = await sealData(value, { password, ttl: 2678400 });
      if (!(await unsealData(sealed, { password, ttl: 2678400 }))) throw new Error('unseal failed');
    },
  };
}

function cookieSession(): Codec {
  // cookie-session's own steps: JSON → base64 value, keygrip HMAC-SHA1 over "name=value"; decode reverses.
  const keys = new Keygrip(['benchmark secret']);
  return {
    name: 'cookie-session (keygrip)',
    roundTrip: (value) => {
      const encoded = Buffer.from(JSON.stringify(value)).toString('base64');
      const signature = keys.sign(`session=${encoded}`);
      if (keys.index(`session=${encoded}`, signature) < 0) throw new Error('bad signature');
      JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    },
  };
}

async function fastifySecureSession(): Promise<Codec> {
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
  return {
    name: '@fastify/secure-session (libsodium secretbox)',
    roundTrip: (value) => {
      // A copy: the session stores the object it is given and adds its own `__ts` key to it.
      const cookie = decorated.encodeSecureSession(decorated.createSecureSession({ ...value }));
      if (!decorated.decodeSecureSession(cookie)) throw new Error('decode failed');
    },
    close: () => app.close(),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Every Node codec in interleaved rounds (each round measures all of them in turn), the median
 * over rounds per codec: on a shared or throttled machine, a slow moment then hits every codec
 * of a round rather than one whole row.
 */
async function measureInRounds(codecs: Codec[], seconds: number, rounds: number): Promise<CodecResult[]> {
  const small = codecs.map((): number[] => []);
  const large = codecs.map((): number[] => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, codec] of codecs.entries()) {
      small[index]!.push(await opsPerSecond(seconds / rounds, codec, SMALL_SESSION));
      large[index]!.push(await opsPerSecond(seconds / rounds, codec, LARGE_SESSION));
    }
  }
  return codecs.map((codec, index) => ({
    name: codec.name,
    smallOps: median(small[index]!),
    largeOps: median(large[index]!),
  }));
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
  const run = spawnSync(
    '/usr/bin/python3',
    ['-c', FLASK_SCRIPT, String(seconds), JSON.stringify([SMALL_SESSION, LARGE_SESSION])],
    { encoding: 'utf8', timeout: 120000 },
  );
  if (run.status !== 0) return null;
  const [smallOps, largeOps] = JSON.parse(run.stdout) as [number, number];
  return { name: "Flask's serializer (Python, itsdangerous)", smallOps, largeOps };
}

export async function runCodecBenchmark(seconds: number): Promise<{ results: CodecResult[]; flaskMissing: boolean }> {
  const codecs = [ours(), cookieSession(), await fastifySecureSession(), oursEncrypted(), await ironSession()];
  let results: CodecResult[];
  try {
    results = await measureInRounds(codecs, seconds, seconds >= 1 ? 5 : 1);
  } finally {
    for (const codec of codecs) await codec.close?.();
  }
  const flaskResult = flask(seconds);
  if (flaskResult) results.push(flaskResult);
  return { results, flaskMissing: !flaskResult };
}
