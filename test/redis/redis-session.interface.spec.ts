/** RedisSessionInterface's write rules at the interface level, over an in-memory client, and when an untouched session needs opening. */
import { createSessionConfig } from '../../lib/config/index.js';
import { FlaskSessionRedisInterface } from '../../lib/flask-session/index.js';
import { RedisSession, RedisSessionInterface } from '../../lib/redis/index.js';
import { fakeExchange } from '../support/fake-http.js';
import { MemoryRedis } from '../support/memory-redis.js';

const SECRET_KEY = 'redis interface unit tests, a 40-byte key';

async function openStored(lifetime: number) {
  const client = new MemoryRedis();
  const iface = new RedisSessionInterface({ client });
  const config = createSessionConfig({ SECRET_KEY, PERMANENT_SESSION_LIFETIME: lifetime });
  const created = (await iface.openSession(config, fakeExchange().request))!;
  created.set('user', 'alice');
  const first = fakeExchange();
  await iface.saveSession(config, created, first.response);
  const cookie = first.setCookies()[0]!.split(';', 1)[0]!;
  const session = (await iface.openSession(config, fakeExchange(cookie).request)) as RedisSession;
  return { client, iface, config, session };
}

describe('PERMANENT_SESSION_LIFETIME: 0 (Flask: cookies that expire at once)', () => {
  it('a permanent session is not written (Redis refuses EX 0): its key is deleted and its cookie too', async () => {
    const { client, iface, config, session } = await openStored(0);
    expect(client.values.size).toBe(1);
    session.permanent = true;
    const exchange = fakeExchange();
    await iface.saveSession(config, session, exchange.response);
    expect(client.values.size).toBe(0);
    expect(exchange.setCookies()).toEqual([
      expect.stringMatching(/^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0/),
    ]);
  });

  it('a non-permanent session still lives for SESSION_IDLE_TIMEOUT', async () => {
    const { client, iface, config, session } = await openStored(0);
    session.set('n', 1);
    const exchange = fakeExchange();
    await iface.saveSession(config, session, exchange.response);
    expect([...client.ttls.values()]).toEqual([86400]);
    expect(exchange.setCookies()[0]).toMatch(/^session=[A-Za-z0-9_-]{43}\./);
  });
});

describe.each([
  ['RedisSessionInterface', (client: MemoryRedis) => new RedisSessionInterface({ client })],
  ["Flask-Session's", (client: MemoryRedis) => new FlaskSessionRedisInterface({ client })],
])('an untouched session (%s)', (_name, create) => {
  const config = createSessionConfig({ SECRET_KEY });

  it('without a cookie is not opened: it would open fresh, and saving a fresh session stores nothing', async () => {
    const client = new MemoryRedis();
    const iface = create(client);
    const exchange = fakeExchange();
    expect(iface.mustOpenToSave(config, exchange.request)).toBe(false);
    // What skipping it leaves out: opening and saving it anyway writes nothing at all.
    await iface.saveSession(config, (await iface.openSession(config, exchange.request))!, exchange.response);
    expect(client.values.size).toBe(0);
    expect(exchange.setCookies()).toEqual([]);
  });

  it('with a cookie is opened: only the store knows whether it is permanent (and refreshed)', () => {
    const iface = create(new MemoryRedis());
    expect(iface.mustOpenToSave(config, fakeExchange('session=anything').request)).toBe(true);
  });

  it('is always opened when a subclass opens or saves sessions its own way', () => {
    const client = new MemoryRedis();
    const base = create(client);
    const opensOwnWay = Object.assign(Object.create(base) as typeof base, {
      openSession: () => Promise.resolve(null),
    });
    const savesOwnWay = Object.assign(Object.create(base) as typeof base, { saveSession: () => Promise.resolve() });
    expect(opensOwnWay.mustOpenToSave(config, fakeExchange().request)).toBe(true);
    expect(savesOwnWay.mustOpenToSave(config, fakeExchange().request)).toBe(true);
  });
});
