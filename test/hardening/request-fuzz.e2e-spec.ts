/**
 * Hostile Cookie headers through the whole request path of a running Nest app. Every response
 * must be the handler's normal response with a fresh empty session (or, for payloads validly
 * signed or sealed with our key, exactly their keys), never a 500, never a crash, never a forged session,
 * and no prototype may change. `npm run fuzz` runs it longer (FUZZ_RUNS).
 */
import { deflateSync } from 'node:zlib';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { CookieSealer } from '../../lib/encryption/index.js';
import { SecureCookieSession, Session } from 'nest-flask-session';
import { TimestampSigner, URLSafeTimedSerializer } from 'nest-flask-session/itsdangerous';
import { createSessionCookie } from 'nest-flask-session/testing';
import { cookieInterface, PLATFORM_COOKIE_INTERFACES, type CookieKind } from '../support/cookie-interfaces.js';
import { createApp } from '../support/create-app.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { rawClient } from '../support/http-client.js';

const SECRET_KEY = 'fuzz key';
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

@Controller()
class FuzzController {
  @Get('/fuzz')
  fuzz(@Session() session: SecureCookieSession<Record<string, unknown>>) {
    return { ok: true, keys: [...session.keys()], proto: Object.getPrototypeOf(session.toJSON()) === Object.prototype };
  }
}

const signer = new TimestampSigner(SECRET_KEY, { salt: 'cookie-session', keyDerivation: 'hmac' });
const raw = new URLSafeTimedSerializer(SECRET_KEY, {
  salt: 'cookie-session',
  keyDerivation: 'hmac',
  serializer: passThroughSerializer,
});
/** Seals as the encrypted interface does (same keys and purpose), deflating everything. */
const sealer = new CookieSealer([SECRET_KEY], { compressionThreshold: 0 });

/** How each interface wraps an arbitrary (hostile) payload text in a cookie valid under our key, and its hostile bodies. */
const validUnderOurKey: Record<CookieKind, { payload: (json: string) => string; bodies: string[] }> = {
  signed: {
    payload: (json) => `session=${raw.dumps(json)}`,
    bodies: [
      `.${deflateSync(Buffer.alloc(8 * 1024 * 1024, 0x61)).toString('base64url')}`,
      `.${deflateSync(Buffer.from(`{"a":"${'b'.repeat(2 * 1024 * 1024)}"}`)).toString('base64url')}`,
      '!!!not-base64',
      Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url'),
    ].map((body) => `session=${signer.sign(body)}`),
  },
  encrypted: {
    payload: (json) => `session=${sealer.seal(json)}`,
    bodies: [
      sealer.seal('a'.repeat(8 * 1024 * 1024)),
      sealer.seal(`{"a":"${'b'.repeat(2 * 1024 * 1024)}"}`),
      sealer.seal('\ufffd{'),
    ].map((value) => `session=${value}`),
  },
};

function generators(kind: CookieKind) {
  const { payload, bodies } = validUnderOurKey[kind];
  const real = createSessionCookie(
    { user_id: 42, cart: ['a', 'b'], note: 'x'.repeat(80) },
    { SECRET_KEY },
    cookieInterface(kind).cookies,
  );
  const realValue = real.slice('session='.length);
  const headerChar = fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c));

  const forged = fc
    .oneof(
      fc.string({ unit: headerChar, maxLength: 200 }).map((s) => `session=${s}`),
      fc.string({ unit: headerChar, maxLength: 200 }),
      fc.nat({ max: realValue.length - 1 }).map((n) => `session=${realValue.slice(0, n)}`),
      fc.tuple(fc.nat({ max: realValue.length - 1 }), fc.nat({ max: 5 })).map(([i, bit]) => {
        const flipped = String.fromCharCode(realValue.charCodeAt(i) ^ (1 << bit));
        return `session=${realValue.slice(0, i)}${/[\x21-\x7e]/.test(flipped) && flipped !== ';' && flipped !== ',' ? flipped : 'A'}${realValue.slice(i + 1)}`;
      }),
      fc
        .tuple(fc.nat({ max: realValue.length }), fc.nat({ max: realValue.length }))
        .map(([a, b]) => `session=${realValue.slice(0, a)}${realValue.slice(b)}`),
      fc.base64String({ maxLength: 300 }).map((s) => `session=${s}.${s.slice(0, 6)}.${s.slice(-27)}`),
      fc.base64String({ maxLength: 300 }).map((s) => `session=v1.${s.replace(/=+$/, '')}`),
      fc.integer({ min: 4000, max: 12000 }).map((n) => `session=${'A'.repeat(n)}`),
      fc
        .array(fc.string({ unit: headerChar, maxLength: 30 }), { minLength: 2, maxLength: 40 })
        .map((values) => values.map((v) => `session=${v}`).join('; ')),
      fc.constantFrom(
        'session=',
        'session',
        '=',
        ';;;',
        'session=""',
        'session="\\303"',
        'session=%ff%fe',
        'session=...',
        'session=.',
        'session=v1.',
        'session=v2.AAAA',
        '\u00ff\u00fe=\u00c3\u0028',
      ),
    )
    .filter((cookie) => !cookie.startsWith(real)); // a splice or truncation may give back the genuine cookie

  const hostile = fc.oneof(
    fc.constantFrom(
      payload('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":3}'),
      payload('{"x":{" di":{"__proto____":{"polluted":4}}}}'),
      payload(`${'['.repeat(5000)}${']'.repeat(5000)}`),
      payload(`{"a":${'{"a":'.repeat(300)}1${'}'.repeat(300)}}`),
      ...bodies,
      payload('{"id":{" u":"not-a-uuid"}}'),
      payload('42'),
      payload('[["a",1],["b"]]'),
    ),
    fc.jsonValue({ maxDepth: 3 }).map((value) => payload(JSON.stringify(value))),
  );
  return { real, payload, forged, hostile };
}

describe.each(PLATFORM_COOKIE_INTERFACES)(
  'fuzzing the request path with hostile cookies on %s with %s cookies',
  (platform, kind) => {
    const { real, payload, forged, hostile } = generators(kind);
    let app: INestApplication;
    let client: Awaited<ReturnType<typeof rawClient>>;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);

    beforeAll(async () => {
      process.on('unhandledRejection', onRejection);
      app = await createApp(
        { SECRET_KEY, ...cookieInterface(kind).option },
        { controllers: [FuzzController] },
        undefined,
        platform,
      );
      client = await rawClient(app);
    });
    afterAll(async () => {
      process.off('unhandledRejection', onRejection);
      client.close();
      await app.close();
    });

    it('forged, truncated, spliced and garbage cookies: always the normal response with an empty session', async () => {
      await fc.assert(
        fc.asyncProperty(forged, async (cookie) => {
          const res = await client.get('/fuzz', cookie);
          expect(res.status).toBe(200);
          expect(JSON.parse(res.body)).toEqual({ ok: true, keys: [], proto: true });
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(rejections).toEqual([]);
    }, 120000);

    it('payloads valid under our key (signed or sealed): never a 500, never a prototype change', async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (cookie) => {
          const res = await client.get('/fuzz', cookie);
          expect(res.status).toBe(200);
          const body = JSON.parse(res.body) as { ok: boolean; keys: string[]; proto: boolean };
          expect(body.ok).toBe(true);
          expect(body.proto).toBe(true);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.prototype).not.toHaveProperty('polluted');
        }),
        { seed: SEED, numRuns: Math.max(100, Math.floor(RUNS / 5)) },
      );
      expect(rejections).toEqual([]);
    }, 120000);

    it('the real cookie still opens after all that (the app is healthy)', async () => {
      const res = await client.get('/fuzz', real);
      expect(JSON.parse(res.body).keys.sort()).toEqual(['cart', 'note', 'user_id']);
    });

    it('__proto__ / constructor / prototype keys are plain data in a payload valid under our key', async () => {
      const res = await client.get(
        '/fuzz',
        payload('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":3}'),
      );
      expect(JSON.parse(res.body)).toEqual({ ok: true, keys: ['__proto__', 'constructor', 'prototype'], proto: true });
    });
  },
);
