/**
 * Long but guessable keys (a word repeated, one character class of low variety): NODE_ENV=production
 * refuses such a SECRET_KEY at start-up, naming it; development starts and warns; a guessable
 * fallback is only warned about. Keys made from random bytes start in production without a word.
 */
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SessionConfigError } from 'nest-flask-session';
import { createApp } from '../support/create-app.js';

const GUESSABLE = [
  ['a word repeated', 'changemechangemechangemechangeme'],
  ['another word repeated', 'passwordpasswordpasswordpassword'],
  ['one character class of low variety', 'aabbabaabbbaababbabaabababbbaaba'],
  ['digits in runs', '11112222333344445555666677778888'],
] as const;

describe('guessable keys: refused in production, warned about in development', () => {
  let warn: ReturnType<typeof jest.spyOn>;
  const nodeEnv = process.env.NODE_ENV;
  const warnings = (): string[] => (warn.mock.calls as unknown[][]).map((call) => String(call[0]));

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    process.env.NODE_ENV = nodeEnv;
  });

  it.each(GUESSABLE)('NODE_ENV=production refuses %s as SECRET_KEY, naming it', async (_kind, key) => {
    process.env.NODE_ENV = 'production';
    await expect(createApp({ SECRET_KEY: key })).rejects.toThrow(SessionConfigError);
    await expect(createApp({ SECRET_KEY: key })).rejects.toThrow(/SECRET_KEY is guessable/);
  });

  it.each(GUESSABLE)('development starts with %s and warns', async (_kind, key) => {
    process.env.NODE_ENV = 'development';
    const app = await createApp({ SECRET_KEY: key });
    expect(warnings()).toEqual([expect.stringMatching(/^SECRET_KEY is guessable: .*NODE_ENV=production refuses/)]);
    await app.close();
  });

  it('NODE_ENV=production starts with a guessable fallback (mid-rotation) and warns', async () => {
    process.env.NODE_ENV = 'production';
    const app = await createApp({
      SECRET_KEY: randomBytes(32).toString('hex'),
      SECRET_KEY_FALLBACKS: ['changemechangemechangemechangeme'],
    });
    expect(warnings()).toEqual([expect.stringContaining('SECRET_KEY_FALLBACKS[0] is guessable')]);
    await app.close();
  });

  it.each([
    ['32 hex characters', () => randomBytes(16).toString('hex')],
    ['64 hex characters', () => randomBytes(32).toString('hex')],
    ['base64 of randomBytes(32)', () => randomBytes(32).toString('base64')],
    ['a Buffer of randomBytes(32)', () => randomBytes(32)],
  ])('NODE_ENV=production starts with %s, without a warning', async (_kind, make) => {
    process.env.NODE_ENV = 'production';
    const app = await createApp({ SECRET_KEY: make() });
    expect(warnings()).toEqual([]);
    await app.close();
  });
});
