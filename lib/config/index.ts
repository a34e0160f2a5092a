export { createSessionConfig, DEFAULT_SESSION_CONFIG, type SessionConfig } from './session-config.js';
export { SessionConfigError } from './session-config.error.js';
export {
  resolveSessionConfig,
  validateSessionConfig,
  SESSION_CONFIG_KEYS,
  type ConfigReader,
} from './resolve-session-config.js';
export {
  assertNoEmptyFallbackKeys,
  findWeakSecretKeys,
  MIN_SECRET_KEY_BYTES,
  type WeakSecretKey,
} from './secret-keys.js';
export { estimateKeyEntropyBits, MIN_SECRET_KEY_ENTROPY_BITS } from './key-entropy.js';
export { PerKeyCache } from './per-key-cache.js';
export { resolveRedisTarget, validateRedisTopology, type RedisTarget } from './redis-topology.config.js';
export { parseRedisNodeAddress, parseRedisNodeList, type RedisNodeAddress } from './redis-node-address.js';
export {
  FLASK_SESSION_SERIALIZATION_FORMATS,
  validateFlaskSessionConfig,
  type FlaskSessionSerializationFormat,
} from './flask-session-config.js';
export { parseConfigValue, type ConfigValueKind } from './config-value.js';
