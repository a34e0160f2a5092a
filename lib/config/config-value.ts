import { SessionConfigError } from './session-config.error.js';

/** How a configuration value read from the environment (a string) is parsed. */
export type ConfigValueKind = 'boolean' | 'number' | 'nullableNumber' | 'string' | 'nullableString' | 'list';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const NULLS = new Set(['', 'null']);

function parseNumber(key: string, raw: string): number {
  const text = raw.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new SessionConfigError(key, `must be a number, got '${raw}'`);
  return value;
}

/**
 * A value as `ConfigService` gives it, parsed for `kind` when it is a string (from `.env` or the
 * environment); typed values pass through for the caller's validation. Errors name the key.
 */
export function parseConfigValue(key: string, kind: ConfigValueKind, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  switch (kind) {
    case 'string':
      return raw;
    case 'nullableString':
      return NULLS.has(text.toLowerCase()) ? null : text;
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      throw new SessionConfigError(key, `must be true or false, got '${raw}'`);
    case 'nullableNumber':
      return NULLS.has(text.toLowerCase()) ? null : parseNumber(key, raw);
    case 'number':
      return parseNumber(key, raw);
    case 'list': {
      if (text.startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new SessionConfigError(key, 'is not a valid JSON list');
        }
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
          throw new SessionConfigError(key, 'must be a JSON list of strings');
        }
        return parsed;
      }
      return text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    }
  }
}
