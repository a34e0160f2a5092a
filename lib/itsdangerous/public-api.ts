// The `nest-flask-session/itsdangerous` entry: itsdangerous' public names (its `__init__`), in camelCase.
export { BadData, BadHeader, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
export { base64UrlDecode, base64UrlEncode } from './encoding.js';
export type { DigestMethod, KeyDerivation, SecretKey } from './key-derivation.js';
export { HMACAlgorithm, NoneAlgorithm, SigningAlgorithm } from './signing-algorithm.js';
export { Signer, type SignerClass, type SignerOptions } from './signer.js';
export {
  TimestampSigner,
  type TimestampedValue,
  type TimestampSignerOptions,
  type UnsignOptions,
} from './timestamp-signer.js';
export type { TextSerializer } from './text-serializer.js';
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
