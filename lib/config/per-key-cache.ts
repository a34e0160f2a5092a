import { assertNoEmptyFallbackKeys } from './secret-keys.js';
import type { SessionConfig } from './session-config.js';

type SecretKey = string | Buffer;

interface Entry<T> {
  secretKey: SecretKey;
  fallbacks: ReadonlyArray<SecretKey> | null;
  fallbackCopy: SecretKey[];
  value: T;
}

function sameKeys(a: ReadonlyArray<SecretKey>, b: ReadonlyArray<SecretKey>): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/**
 * What a cookie interface derives from a config's keys (a signer, a cipher's keys), built once per
 * key set instead of per request, and rebuilt when `SECRET_KEY` or `SECRET_KEY_FALLBACKS` change
 * (also in place). Empty fallback keys are refused before anything is built.
 */
export class PerKeyCache<T> {
  private readonly entries = new WeakMap<SessionConfig, Entry<T>>();

  constructor(private readonly build: (secretKey: SecretKey, fallbacks: ReadonlyArray<SecretKey>) => T) {}

  /** The value for the config's keys, or null when it has no `SECRET_KEY`. */
  get(config: SessionConfig): T | null {
    const secretKey = config.SECRET_KEY;
    if (!secretKey || secretKey.length === 0) return null;
    const fallbacks = config.SECRET_KEY_FALLBACKS;
    const cached = this.entries.get(config);
    if (
      cached &&
      cached.secretKey === secretKey &&
      cached.fallbacks === fallbacks &&
      sameKeys(cached.fallbackCopy, fallbacks ?? [])
    ) {
      return cached.value;
    }
    assertNoEmptyFallbackKeys(config);
    const value = this.build(secretKey, fallbacks ?? []);
    this.entries.set(config, { secretKey, fallbacks, fallbackCopy: [...(fallbacks ?? [])], value });
    return value;
  }
}
