import { connect } from 'node:net';

/** A response read off a raw socket: status, headers (names lower-cased, repeats kept) and body. */
export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * Sends `GET path` with the `Cookie` header given as exact bytes over a plain TCP socket, as a
 * client puts them on the wire (no client library re-encodes them), and reads the whole response.
 */
export async function rawGet(host: string, port: number, path: string, cookie: Buffer): Promise<RawResponse> {
  const head = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\nCookie: `, 'latin1');
  const request = Buffer.concat([head, cookie, Buffer.from('\r\n\r\n', 'latin1')]);
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    socket.setTimeout(15000, () => socket.destroy(new Error(`no response from ${host}:${port}${path}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.write(request);
  });
  return parseResponse(raw);
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  if (split === -1) throw new Error(`not an HTTP response: ${raw.toString('latin1').slice(0, 200)}`);
  const [statusLine, ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = raw.subarray(split + 4);
  if (headers.some(([name, value]) => name === 'transfer-encoding' && /chunked/i.test(value))) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', position);
    const size = parseInt(body.subarray(position, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    position = lineEnd + 2 + size + 2;
  }
}
