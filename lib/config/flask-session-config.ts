import type { SessionConfig } from './session-config.js';
import { SessionConfigError } from './session-config.error.js';

/** Flask-Session's `SESSION_SERIALIZATION_FORMAT`. */
export type FlaskSessionSerializationFormat = SessionConfig['SESSION_SERIALIZATION_FORMAT'];

export const FLASK_SESSION_SERIALIZATION_FORMATS: readonly FlaskSessionSerializationFormat[] = ['msgpack', 'json'];

/** Start-up checks of Flask-Session's keys (`SESSION_PERMANENT`, `SESSION_ID_LENGTH`, ...). */
export function validateFlaskSessionConfig(config: SessionConfig): void {
  for (const key of ['SESSION_PERMANENT', 'SESSION_USE_SIGNER'] as const) {
    if (typeof config[key] !== 'boolean')
      throw new SessionConfigError(key, `must be true or false, got ${String(config[key])}`);
  }
  const length = config.SESSION_ID_LENGTH;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 16 || length > 192) {
    throw new SessionConfigError(
      'SESSION_ID_LENGTH',
      `must be a whole number of bytes from 16 (128 bits: shorter ids can be guessed) to 192, got ${String(length)}`,
    );
  }
  if (!FLASK_SESSION_SERIALIZATION_FORMATS.includes(config.SESSION_SERIALIZATION_FORMAT)) {
    throw new SessionConfigError(
      'SESSION_SERIALIZATION_FORMAT',
      `must be 'msgpack' or 'json', got '${String(config.SESSION_SERIALIZATION_FORMAT)}'`,
    );
  }
}
