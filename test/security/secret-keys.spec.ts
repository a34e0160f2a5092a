/** Security review item 1: an empty key anywhere lets anyone forge a session; weak keys. */
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { Controller, Get, Logger } from '@nestjs/common';
import request from 'supertest';
import {
  createSessionConfig,
  RedisSessionInterface,
  SecureCookieSessionInterface,
  Session,
  SessionConfigError,
  type SecureCookieSession,
} from 'nest-flask-session';
import { resolveSessionConfig, findWeakSecretKeys, MIN_SECRET_KEY_BYTES } from '../../lib/config/index.js';
import { Signer, URLSafeTimedSerializer } from 'nest-flask-session/itsdangerous';
import { createApp } from '../support/create-app.js';
import { fakeExchange } from '../support/fake-http.js';
import { MemoryRedis } from '../support/memory-redis.js';

const STRONG = 'a6f1c0f4e3b2d19a8c7b6e5d4c3b2a190817263544536271';
const STRONG_OLD = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778';

/** A cookie anyone can make: Flask's format signed with the empty key. */
const forged = new URLSafeTimedSerializer('', { salt: 'cookie-session', keyDerivation: 'hmac' }).dumps({ user_id: 42 });

@Controller()
class WhoAmIController {
  @Get('/me')
  me(@Session() session: SecureCookieSession) {
    return { user: session.get('user_id') ?? null };
  }
}

describe('empty keys are refused, naming the key', () => {
  it.each([
    [{ SECRET_KEY_FALLBACKS: [''] }, 'SECRET_KEY_FALLBACKS[0] is empty'],
    [{ SECRET_KEY_FALLBACKS: [STRONG_OLD, '   '] }, 'SECRET_KEY_FALLBACKS[1] is empty'],
    [{ SECRET_KEY_FALLBACKS: [Buffer.alloc(0)] }, 'SECRET_KEY_FALLBACKS[0] is empty'],
  ])('explicit option %j', (options, message) => {
    expect(() => resolveSessionConfig({ SECRET_KEY: STRONG, ...options })).toThrow(SessionConfigError);
    expect(() => resolveSessionConfig({ SECRET_KEY: STRONG, ...options })).toThrow(message);
  });

  it('from the environment: a JSON list holding an empty string', () => {
    const env: Record<string, string> = { SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: '[""]' };
    expect(() => resolveSessionConfig({}, (key) => env[key])).toThrow('SECRET_KEY_FALLBACKS[0] is empty');
  });

  it("from the environment: '' and stray commas give no keys at all, never an empty one", () => {
    for (const value of ['', ',', ' , ,']) {
      const config = resolveSessionConfig({}, (key) => ({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: value })[key]);
      expect(config.SECRET_KEY_FALLBACKS ?? []).toEqual([]);
    }
  });

  it('the app does not start with an empty fallback key', async () => {
    await expect(
      createApp({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [''] }, { controllers: [WhoAmIController] }),
    ).rejects.toThrow('SECRET_KEY_FALLBACKS[0] is empty');
  });

  it('an app with real keys does not open a cookie forged with the empty key', async () => {
    const app = await createApp(
      { SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [STRONG_OLD] },
      { controllers: [WhoAmIController] },
    );
    const res = await request(app.getHttpServer()).get('/me').set('Cookie', `session=${forged}`);
    expect(res.body).toEqual({ user: null });
    await app.close();
  });

  it('the cookie interface never verifies with an empty key, even given an unvalidated config', () => {
    const config = createSessionConfig({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [''] });
    const iface = new SecureCookieSessionInterface();
    expect(() => iface.openSession(config, fakeExchange(`session=${forged}`).request)).toThrow(
      'SECRET_KEY_FALLBACKS[0] is empty',
    );
  });

  it('the Redis interface never verifies an id signed with an empty key, even given an unvalidated config', async () => {
    const client = new MemoryRedis();
    const iface = new RedisSessionInterface({ client });
    const id = iface.newId();
    await client.set(`session:${id}`, '{"user_id":42}', 'EX', 60);
    const cookie = new Signer('', { salt: iface.salt, keyDerivation: 'hmac', digestMethod: 'sha256' }).sign(id);
    const config = createSessionConfig({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [''] });
    await expect(iface.openSession(config, fakeExchange(`session=${cookie}`).request)).rejects.toThrow(
      'SECRET_KEY_FALLBACKS[0] is empty',
    );
  });
});

describe('weak keys: warned about in development, refused in production', () => {
  const short = 'only-twenty-bytes-ok';
  const placeholder = 'change-me-to-a-long-random-string';
  let warn: ReturnType<typeof jest.spyOn>;
  const nodeEnv = process.env.NODE_ENV;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    process.env.NODE_ENV = nodeEnv;
  });

  it(`finds keys under ${MIN_SECRET_KEY_BYTES} bytes and published placeholders`, () => {
    const config = createSessionConfig({
      SECRET_KEY: short,
      SECRET_KEY_FALLBACKS: [STRONG_OLD, placeholder, Buffer.alloc(16, 1)],
    });
    expect(findWeakSecretKeys(config)).toEqual([
      { key: 'SECRET_KEY', reason: expect.stringContaining('20 bytes long'), placeholder: false },
      { key: 'SECRET_KEY_FALLBACKS[1]', reason: expect.stringContaining('placeholder'), placeholder: true },
      { key: 'SECRET_KEY_FALLBACKS[2]', reason: expect.stringContaining('16 bytes long'), placeholder: false },
    ]);
    expect(findWeakSecretKeys(createSessionConfig({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [STRONG_OLD] }))).toEqual(
      [],
    );
  });

  it('development: the app starts and logs which key is weak', async () => {
    process.env.NODE_ENV = 'development';
    const app = await createApp({ SECRET_KEY: short });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SECRET_KEY is 20 bytes long, too short to be secret'));
    await app.close();
  });

  it.each([
    [{ SECRET_KEY: short }, 'SECRET_KEY is 20 bytes long'],
    [{ SECRET_KEY: placeholder }, 'SECRET_KEY is a placeholder'],
    [{ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [placeholder] }, 'SECRET_KEY_FALLBACKS[0] is a placeholder'],
  ])('NODE_ENV=production refuses %j', async (options, message) => {
    process.env.NODE_ENV = 'production';
    await expect(createApp(options)).rejects.toThrow(SessionConfigError);
    await expect(createApp(options)).rejects.toThrow(message);
  });

  it('NODE_ENV=production starts with a short fallback (mid-rotation) and logs it', async () => {
    process.env.NODE_ENV = 'production';
    const app = await createApp({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: [short] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SECRET_KEY_FALLBACKS[0] is 20 bytes long'));
    await app.close();
  });

  it('sample/.env.example ships no usable key: SECRET_KEY is empty there', () => {
    const example = readFileSync(new URL('../../sample/.env.example', import.meta.url), 'utf8');
    const assignments = example.split('\n').filter((line) => /^\s*SECRET_KEY\s*=/.test(line));
    expect(assignments.map((line) => line.split('=', 2)[1]!.trim())).toEqual(['']);
  });
});
