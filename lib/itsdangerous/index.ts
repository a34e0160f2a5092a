// The layer's own index: the public entry, plus what the other layers and the unit tests use.
export * from './public-api.js';
export { bytesToInt, intToBytes } from './encoding.js';
export { deriveKey } from './key-derivation.js';
export { jsonSerializer, spacedJsonSerializer, type JsonSerializerOptions } from './text-serializer.js';
