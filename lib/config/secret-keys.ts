import type { SessionConfig } from './session-config.js';
import { SessionConfigError } from './session-config.error.js';
import { estimateKeyEntropyBits, MIN_SECRET_KEY_ENTROPY_BITS } from './key-entropy.js';

type SecretKey = string | Buffer;

/** Keys shorter than this many bytes are too short to be secret: warned about, refused in production. */
export const MIN_SECRET_KEY_BYTES = 32;

/**
 * Values published as examples (ours and common ones): they are long enough but not secret.
 * Compared case-insensitively after trimming.
 */
const PLACEHOLDER_KEYS = new Set([
  // sample/.env.example of version 0.1.0
  'change-me-to-a-long-random-string',
  'change-me-to-a-long-random-secret-key',
  'replace-me-with-a-long-random-string',
  'your-secret-key-goes-here-change-it',
]);

/** A key that works but should not be used in production. */
export interface WeakSecretKey {
  /** `SECRET_KEY` or `SECRET_KEY_FALLBACKS[i]`. */
  key: string;
  reason: string;
  /** True for a published example value, false for a key that is only short or guessable. */
  placeholder: boolean;
}

function byteLength(key: SecretKey): number {
  return typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.length;
}

function isPlaceholder(key: SecretKey): boolean {
  return typeof key === 'string' && PLACEHOLDER_KEYS.has(key.trim().toLowerCase());
}

function namedKeys(config: SessionConfig): Array<[string, SecretKey]> {
  const keys: Array<[string, SecretKey]> = [];
  if (config.SECRET_KEY != null && config.SECRET_KEY.length > 0) keys.push(['SECRET_KEY', config.SECRET_KEY]);
  config.SECRET_KEY_FALLBACKS?.forEach((key, index) => keys.push([`SECRET_KEY_FALLBACKS[${index}]`, key]));
  return keys;
}

/**
 * Refuses an empty key in `SECRET_KEY_FALLBACKS`: an empty key verifies signatures anyone can
 * make, so one empty fallback would let every client forge a session. (An empty `SECRET_KEY` is
 * Flask's "no key": sessions are null and nothing is verified.) The session interfaces call it
 * too, so a config that skipped start-up validation never verifies with an empty key.
 */
export function assertNoEmptyFallbackKeys(config: SessionConfig): void {
  config.SECRET_KEY_FALLBACKS?.forEach((key, index) => {
    if (byteLength(key) === 0 || (typeof key === 'string' && key.trim() === '')) {
      throw new SessionConfigError(
        `SECRET_KEY_FALLBACKS[${index}]`,
        'is empty: an empty key lets anyone forge a session. Remove it (an empty environment value or a trailing comma produces one).',
      );
    }
  });
}

/**
 * Keys that are a published placeholder, shorter than {@link MIN_SECRET_KEY_BYTES}, or long but
 * guessable: estimated under {@link MIN_SECRET_KEY_ENTROPY_BITS} (a word repeated, a sequence,
 * few distinct characters; see `estimateKeyEntropyBits`).
 */
export function findWeakSecretKeys(config: SessionConfig): WeakSecretKey[] {
  const weak: WeakSecretKey[] = [];
  for (const [key, value] of namedKeys(config)) {
    if (isPlaceholder(value)) {
      weak.push({
        key,
        reason: 'is a placeholder value published in examples, so it is not secret',
        placeholder: true,
      });
    } else if (byteLength(value) < MIN_SECRET_KEY_BYTES) {
      weak.push({
        key,
        reason: `is ${byteLength(value)} bytes long, too short to be secret (use at least ${MIN_SECRET_KEY_BYTES} random bytes)`,
        placeholder: false,
      });
    } else {
      const bits = estimateKeyEntropyBits(value);
      if (bits < MIN_SECRET_KEY_ENTROPY_BITS) {
        weak.push({
          key,
          reason:
            `is guessable: about ${Math.floor(bits)} bits of entropy by its repeats, sequences and variety of characters, ` +
            `under the ${MIN_SECRET_KEY_ENTROPY_BITS} bits required (32 random bytes, in hex or base64, have far more)`,
          placeholder: false,
        });
      }
    }
  }
  return weak;
}
