import { createHash } from 'node:crypto';

/** Python's `repr()` of a `bytes` value: `b'...'`, or `b"..."` when that saves escaping a quote. */
export function pythonBytesRepr(bytes: Buffer): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let text = '';
  for (const byte of bytes) {
    if (byte === quote.charCodeAt(0) || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x09) text += '\\t';
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x0d) text += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) text += `\\x${byte.toString(16).padStart(2, '0')}`;
    else text += String.fromCharCode(byte);
  }
  return `b${quote}${text}${quote}`;
}

/** Python's `bytes.strip()`: ASCII whitespace at both ends. */
function stripAsciiWhitespace(bytes: Buffer): Buffer {
  const isSpace = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
  let start = 0;
  let end = bytes.length;
  while (start < end && isSpace(bytes[start]!)) start++;
  while (end > start && isSpace(bytes[end - 1]!)) end--;
  return bytes.subarray(start, end);
}

/** What Flask-Login's session identifier is made of. */
export interface IdentifierSource {
  /** The `X-Forwarded-For` header as received, if any. */
  forwardedFor?: string | undefined;
  /** The client address the server sees (Werkzeug's `remote_addr`). */
  remoteAddress?: string | undefined;
  /** The `User-Agent` header, if any. */
  userAgent?: string | undefined;
}

/**
 * The address part: the first entry of `X-Forwarded-For` when the header is there, else the
 * remote address, as Flask-Login's `_get_remote_addr` takes it (bytes, stripped).
 */
function addressBytes({ forwardedFor, remoteAddress }: IdentifierSource): Buffer | undefined {
  const address = forwardedFor ?? remoteAddress;
  if (address === undefined) return undefined;
  const bytes = Buffer.from(address, 'utf8');
  const comma = bytes.indexOf(0x2c);
  return stripAsciiWhitespace(comma === -1 ? bytes : bytes.subarray(0, comma));
}

/**
 * Flask-Login's session identifier (`_create_identifier`, stored under `_id`): the SHA-512 hex
 * digest of `"{address!r}|{user_agent!r}"` where both are Python bytes (or `None`). Header values
 * are Latin-1 strings on both Node and WSGI, then UTF-8 encoded, as Flask-Login does.
 */
export function createSessionIdentifier(source: IdentifierSource): string {
  const address = addressBytes(source);
  const userAgent = source.userAgent === undefined ? undefined : Buffer.from(source.userAgent, 'utf8');
  const base = `${address ? pythonBytesRepr(address) : 'None'}|${userAgent ? pythonBytesRepr(userAgent) : 'None'}`;
  return createHash('sha512').update(base, 'utf8').digest('hex');
}
