/**
 * The session of a WebSocket message, over the real interfaces (Redis on an in-memory client):
 * reads from the handshake request's cookie, writes refused where no response could carry them
 * (cookie sessions, a new session, a new id, a message nothing saves), store writes saved
 * without a cookie.
 */
import { Logger } from '@nestjs/common';
import {
  createSessionConfig,
  RedisSessionInterface,
  SecureCookieSession,
  SecureCookieSessionInterface,
  type SessionInterface,
} from '../../lib/index.js';
import { guardWrites, MessageSession, ReadOnlySessionError } from '../../lib/contexts/index.js';
import { fakeExchange } from '../support/fake-http.js';
import { MemoryRedis } from '../support/memory-redis.js';

const SECRET_KEY = 'message session unit tests, a 40-byte key';
const config = createSessionConfig({ SECRET_KEY });

type AnyInterface = SessionInterface<SecureCookieSession>;

/** A session saved by an HTTP response, and the handshake request of a connection that sends its cookie. */
async function loggedInHandshake(sessionInterface: AnyInterface) {
  const login = fakeExchange();
  const session = (await sessionInterface.openSession(config, login.request))!;
  session.set('user', 'alice');
  await sessionInterface.saveSession(config, session, login.response);
  const cookie = login.setCookies()[0]!.split(';', 1)[0]!;
  return fakeExchange(cookie).incoming;
}

function messageSession(sessionInterface: AnyInterface, handshake = fakeExchange().incoming) {
  return new MessageSession({ config, sessionInterface, logger: new Logger('test') }, handshake);
}

async function refusal(write: () => unknown): Promise<string | undefined> {
  try {
    await write();
  } catch (error) {
    if (error instanceof ReadOnlySessionError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('MessageSession with a cookie interface', () => {
  const sessionInterface = new SecureCookieSessionInterface() as AnyInterface;

  it('reads the session of the handshake', async () => {
    const message = messageSession(sessionInterface, await loggedInHandshake(sessionInterface));
    const session = await message.openForHandler();
    expect(session.get('user')).toBe('alice');
    expect(session).toBeInstanceOf(SecureCookieSession);
    expect([...session.keys()]).toEqual(['user']);
    expect(session.toJSON()).toEqual({ user: 'alice' });
  });

  it('refuses every write, even when the interceptor saves the message, and saves nothing', async () => {
    const message = messageSession(sessionInterface, await loggedInHandshake(sessionInterface));
    message.savable = true;
    const session = await message.openForHandler();
    expect(await refusal(() => session.set('user', 'mallory'))).toBe('cookie');
    expect(await refusal(() => session.delete('user'))).toBe('cookie');
    expect(await refusal(() => session.clear())).toBe('cookie');
    expect(await refusal(() => session.pop('user'))).toBe('cookie');
    expect(await refusal(() => session.update({ a: 1 }))).toBe('cookie');
    expect(await refusal(() => session.setdefault('b', 2))).toBe('cookie');
    expect(
      await refusal(() => {
        session.permanent = true;
      }),
    ).toBe('cookie');
    expect(
      await refusal(() => {
        session.modified = true;
      }),
    ).toBe('cookie');
    session.accessed = true;
    expect(session.accessed).toBe(true);
    expect(session.toJSON()).toEqual({ user: 'alice' });
    expect(message.save()).toBeUndefined();
  });

  it('explains the refusal and names the way out', () => {
    const error = new ReadOnlySessionError('cookie');
    expect(error.message).toContain('a WebSocket message cannot set a cookie');
    expect(error.message).toContain('RedisSessionInterface');
  });
});

describe('MessageSession with a Redis interface', () => {
  let client: MemoryRedis;
  let sessionInterface: AnyInterface;

  beforeEach(() => {
    client = new MemoryRedis();
    sessionInterface = new RedisSessionInterface({ client }) as unknown as AnyInterface;
  });

  it('saves a write of a message the interceptor runs, to the store only', async () => {
    const handshake = await loggedInHandshake(sessionInterface);
    const message = messageSession(sessionInterface, handshake);
    message.savable = true;
    const session = await message.openForHandler();
    session.set('note', 'milk');
    await message.save();
    const [stored] = client.values.values();
    expect(stored).toContain('milk');
    // A later message of the same connection reads it.
    const next = await messageSession(sessionInterface, handshake).openForHandler();
    expect(next.toJSON()).toEqual({ user: 'alice', note: 'milk' });
  });

  it('refuses a write nothing would save (no interceptor)', async () => {
    const message = messageSession(sessionInterface, await loggedInHandshake(sessionInterface));
    const session = await message.openForHandler();
    expect(await refusal(() => session.set('note', 'milk'))).toBe('not-saved');
  });

  it('refuses to start a session on a connection whose handshake had none', async () => {
    const message = messageSession(sessionInterface);
    message.savable = true;
    const session = await message.openForHandler();
    expect(await refusal(() => session.set('user', 'alice'))).toBe('no-session');
    expect(client.values.size).toBe(0);
  });

  it('refuses regenerate(), whose new id would need a cookie', async () => {
    const message = messageSession(sessionInterface, await loggedInHandshake(sessionInterface));
    message.savable = true;
    const session = (await message.openForHandler()) as unknown as { regenerate(): Promise<void> };
    expect(await refusal(() => session.regenerate())).toBe('new-id');
  });

  it('lets a message log the connection out: clear() deletes the stored session', async () => {
    const handshake = await loggedInHandshake(sessionInterface);
    const message = messageSession(sessionInterface, handshake);
    message.savable = true;
    (await message.openForHandler()).clear();
    await message.save();
    expect(client.values.size).toBe(0);
    expect((await messageSession(sessionInterface, handshake).openForHandler()).toJSON()).toEqual({});
  });
});

describe('guardWrites', () => {
  it('lets writes through while nothing refuses them', () => {
    const target = new SecureCookieSession();
    let refuse = false;
    const session = guardWrites(target, () => (refuse ? 'cookie' : undefined));
    session.set('a', 1);
    expect(target.get('a')).toBe(1);
    expect(target.modified).toBe(true);
    refuse = true;
    expect(() => session.set('b', 2)).toThrow(ReadOnlySessionError);
    expect(target.has('b')).toBe(false);
  });
});
