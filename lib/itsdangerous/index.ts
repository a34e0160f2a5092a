export { BadData, BadHeader, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
export { base64UrlDecode, base64UrlEncode, bytesToInt, intToBytes } from './encoding.js';
export { deriveKey, type DigestMethod, type KeyDerivation, type SecretKey } from './key-derivation.js';
export { HMACAlgorithm, NoneAlgorithm, SigningAlgorithm } from './signing-algorithm.js';
export { Signer, type SignerClass, type SignerOptions } from './signer.js';
export {
  TimestampSigner,
  type TimestampedValue,
  type TimestampSignerOptions,
  type UnsignOptions,
} from './timestamp-signer.js';
export {
  jsonSerializer,
  spacedJsonSerializer,
  type JsonSerializerOptions,
  type TextSerializer,
} from './text-serializer.js';
export {
  Serializer,
  type FallbackSigner,
  type LoadOptions,
  type Salt,
  type SerializerOptions,
  type TextSink,
  type TextSource,
} from './serializer.js';
export { TimedSerializer, type TimedLoadOptions, type TimedSerializerOptions } from './timed-serializer.js';
export { URLSafeSerializer, type URLSafeSerializerOptions } from './url-safe-serializer.js';
export { URLSafeTimedSerializer, type URLSafeTimedSerializerOptions } from './url-safe-timed-serializer.js';
export type { URLSafePayloadOptions } from './url-safe-payload.js';
