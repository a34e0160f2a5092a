/**
 * The floor sketch: the least work a Flask-format cookie session needs per request, as a yardstick
 * for the module (never a session implementation: no tagged JSON, no key rotation, no timestamp
 * check, no Vary, no size policy, no permanent sessions). The cookie is Flask's own
 * (`payload.timestamp.signature`, HMAC-SHA1 under itsdangerous' HMAC key derivation, zlib when
 * it saves two bytes), so Flask reads what it writes. Reading is lazy (only a handler that asks
 * parses the cookie); writing happens in one response hook per platform, only when the handler
 * changed the session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateSync, inflateSync } from 'node:zlib';

export type FloorData = Record<string, unknown>;

/** What the floor keeps on a request: the parsed session (once asked for) and whether it changed. */
interface FloorState {
  data?: FloorData;
  modified: boolean;
}

const STATE = Symbol('floor');
type WithFloor = { [STATE]?: FloorState; headers: IncomingMessage['headers'] };

const COOKIE = /(?:^|;\s*)session=([^;]*)/;

export class FloorSessions {
  /** itsdangerous' `hmac` key derivation: HMAC-SHA1(secret, salt). */
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha1', secret).update('cookie-session').digest();
  }

  /** The Flask cookie value holding `data`. */
  dump(data: FloorData): string {
    const json = Buffer.from(JSON.stringify(data));
    const compressed = deflateSync(json);
    const payload =
      compressed.length < json.length - 1 ? `.${compressed.toString('base64url')}` : json.toString('base64url');
    const stamp = Buffer.alloc(4);
    stamp.writeUInt32BE(Math.floor(Date.now() / 1000));
    const value = `${payload}.${stamp.toString('base64url')}`;
    return `${value}.${createHmac('sha1', this.key).update(value).digest('base64url')}`;
  }

  /** The session in a cookie value; an empty one when it does not verify or decode. */
  load(value: string): FloorData {
    const dot = value.lastIndexOf('.');
    const stampDot = value.lastIndexOf('.', dot - 1);
    if (dot < 0 || stampDot < 0) return {};
    const signature = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = createHmac('sha1', this.key).update(value.slice(0, dot)).digest();
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return {};
    const payload = value.slice(0, stampDot);
    try {
      const bytes =
        payload[0] === '.'
          ? inflateSync(Buffer.from(payload.slice(1), 'base64url'))
          : Buffer.from(payload, 'base64url');
      const data: unknown = JSON.parse(bytes.toString());
      return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as FloorData) : {};
    } catch {
      return {};
    }
  }

  /** The request's session, parsed on first use. */
  session(request: object): FloorData {
    const req = request as WithFloor;
    const state = (req[STATE] ??= { modified: false });
    if (!state.data) {
      const match = COOKIE.exec(req.headers.cookie ?? '');
      state.data = match ? this.load(match[1]!) : {};
    }
    return state.data;
  }

  /** Marks the request's session changed, so the response carries a new cookie. */
  touch(request: object): void {
    const req = request as WithFloor;
    (req[STATE] ??= { modified: true }).modified = true;
  }

  /** The Set-Cookie header for the request, or undefined when its session did not change. */
  setCookieFor(request: object): string | undefined {
    const state = (request as WithFloor)[STATE];
    if (!state?.modified || !state.data) return undefined;
    return `session=${this.dump(state.data)}; HttpOnly; Path=/`;
  }

  /** Express: one middleware that sets the cookie as the headers go out (as `on-headers` does). */
  expressMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      const writeHead = res.writeHead;
      res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
        const header = this.setCookieFor(req);
        if (header) res.setHeader('Set-Cookie', header);
        return writeHead.apply(res, args);
      }) as ServerResponse['writeHead'];
      next();
    };
  }

  /** Fastify: one `onSend` hook. */
  fastifyOnSend(): (
    request: object,
    reply: { header(name: string, value: string): unknown },
    payload: unknown,
    done: (error: null, payload: unknown) => void,
  ) => void {
    return (request, reply, payload, done) => {
      const header = this.setCookieFor(request);
      if (header) reply.header('set-cookie', header);
      done(null, payload);
    };
  }
}
