export { BadData, BadHeader, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
export { base64UrlDecode, base64UrlEncode, bytesToInt, intToBytes } from './encoding.js';
export { deriveKey, type DigestMethod, type KeyDerivation, type SecretKey } from './key-derivation.js';
export { Signer, type SignerOptions } from './signer.js';
export { TimestampSigner, type TimestampedValue, type TimestampSignerOptions, type UnsignOptions } from './timestamp-signer.js';
export { jsonSerializer, type Serializer } from './serializer.js';
export { URLSafeTimedSerializer, type URLSafeTimedSerializerOptions } from './url-safe-timed-serializer.js';
export { deflate, inflate, InflateLimitExceeded } from './compression.js';
