/**
 * The key-entropy estimate behind the production key check: guessable long keys (a word repeated,
 * sequences, few distinct characters) score under MIN_SECRET_KEY_ENTROPY_BITS; keys made the
 * usual ways from 32 random bytes (or 16, in hex) score above it, every time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionConfig,
  estimateKeyEntropyBits,
  findWeakSecretKeys,
  MIN_SECRET_KEY_BYTES,
  MIN_SECRET_KEY_ENTROPY_BITS,
} from '../../lib/config/index.js';

describe('estimateKeyEntropyBits', () => {
  it.each([
    ['the issue’s example', 'changemechangemechangemechangeme'],
    ['a word repeated', 'passwordpasswordpasswordpassword'],
    ['a word repeated, upper case', 'SECRETSECRETSECRETSECRETSECRET12'],
    ['a word and a separator repeated', 'supersecretkey-supersecretkey-12'],
    ['a keyboard row repeated', 'qwertyuiopqwertyuiopqwertyuiopqw'],
    ['one character', 'a'.repeat(64)],
    ['the alphabet', 'abcdefghijklmnopqrstuvwxyzabcdef'],
    ['hex digits in order, twice', '0123456789abcdef0123456789abcdef'],
    ['digits in runs (one class, low variety)', '11112222333344445555666677778888'],
    ['two letters at random (one class, low variety)', 'aabbabaabbbaababbabaabababbbaaba'],
    ['a descending run', 'zyxwvutsrqponmlkjihgfedcba987654'],
  ])('%s is guessable: %s', (_kind, key) => {
    expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(MIN_SECRET_KEY_BYTES);
    expect(estimateKeyEntropyBits(key)).toBeLessThan(MIN_SECRET_KEY_ENTROPY_BITS);
  });

  it.each([
    ['32 hex characters (randomBytes(16))', () => randomBytes(16).toString('hex')],
    ['64 hex characters (randomBytes(32))', () => randomBytes(32).toString('hex')],
    ['40 upper-case hex characters', () => randomBytes(20).toString('hex').toUpperCase()],
    ['base64 of randomBytes(32)', () => randomBytes(32).toString('base64')],
    ['base64url of randomBytes(32) (secrets.token_urlsafe)', () => randomBytes(32).toString('base64url')],
    ['base64 of randomBytes(24) (32 characters)', () => randomBytes(24).toString('base64')],
    ['a Buffer of randomBytes(32)', () => randomBytes(32)],
    ['a UUID v4', () => randomUUID()],
  ])('%s always passes (2,000 draws)', (_kind, make) => {
    let lowest = Infinity;
    for (let i = 0; i < 2000; i++) lowest = Math.min(lowest, estimateKeyEntropyBits(make()));
    expect(lowest).toBeGreaterThanOrEqual(MIN_SECRET_KEY_ENTROPY_BITS);
  });

  it('a repeat or a sequence never costs more than the characters it replaces', () => {
    const word = 'k3y-Materi@l';
    expect(estimateKeyEntropyBits(word.repeat(3))).toBeLessThan(estimateKeyEntropyBits(word) + 16);
    expect(estimateKeyEntropyBits('')).toBe(0);
  });
});

describe('findWeakSecretKeys: guessable keys', () => {
  it('names the guessable SECRET_KEY and fallback, with the estimate', () => {
    const strong = randomBytes(32).toString('hex');
    const config = createSessionConfig({
      SECRET_KEY: 'changemechangemechangemechangeme',
      SECRET_KEY_FALLBACKS: [strong, 'passwordpasswordpasswordpassword'],
    });
    expect(findWeakSecretKeys(config)).toEqual([
      {
        key: 'SECRET_KEY',
        reason: expect.stringMatching(/^is guessable: about \d+ bits of entropy/),
        placeholder: false,
      },
      { key: 'SECRET_KEY_FALLBACKS[1]', reason: expect.stringContaining('is guessable'), placeholder: false },
    ]);
  });

  it('no key a test, the sample or the benchmarks use is called guessable (short ones are only short)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        // (The suites of this check use guessable keys on purpose.)
        else if (/\.(ts|py)$/.test(entry) && !entry.includes('entropy')) files.push(full);
      }
    };
    for (const dir of ['test', 'sample', 'bench']) walk(path.join(root, dir));
    const keys = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/SECRET_KEY\w*\s*[:=]\s*'([^'\n]+)'/g))
        keys.add(match[1]!);
    }
    expect(keys.size).toBeGreaterThan(20);
    const guessable = [...keys].filter((key) =>
      findWeakSecretKeys(createSessionConfig({ SECRET_KEY: key })).some(({ reason }) => reason.includes('guessable')),
    );
    expect(guessable).toEqual([]);
  });
});
