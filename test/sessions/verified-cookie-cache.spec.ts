/**
 * The verified-cookie cache of the cookie interfaces (signed and encrypted): a cookie value seen
 * again opens without verification, yet every request gets objects of its own, the signed age is
 * checked on every hit with itsdangerous' rule (TimestampSigner.unsign: `age > max_age` and
 * `age < 0` are expired), a change of keys empties it, its memory stays within the budget, an
 * altered value never hits, an interface whose codec a subclass replaced does not use it, and
 * while more distinct cookies arrive than it holds it keeps only a sample of them.
 */
import { jest } from '@jest/globals';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import {
  EncryptedCookieSessionInterface,
  SecureCookieSession,
  SecureCookieSessionInterface,
  type CookieSessionInterface,
  type CookieSessionInterfaceOptions,
} from '../../lib/sessions/index.js';
import { VerifiedCookieCache, EXPIRED } from '../../lib/sessions/verified-cookie-cache.js';
import { Markup, Tuple, UUID } from '../../lib/tagged-json/index.js';
import { fakeExchange } from '../support/fake-http.js';

const NOW = 1700000000;

/** A repeatable stand-in for Math.random (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const LIFETIME = 3600;

type Factory = (options?: CookieSessionInterfaceOptions) => CookieSessionInterface;
const INTERFACES: Array<[string, Factory]> = [
  ['signed', (options) => new SecureCookieSessionInterface(options)],
  ['encrypted', (options) => new EncryptedCookieSessionInterface(options)],
];

beforeEach(() => {
  jest.useFakeTimers({ now: NOW * 1000, doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

function setup(factory: Factory, options?: CookieSessionInterfaceOptions, overrides: Partial<SessionConfig> = {}) {
  const iface = factory(options);
  const warn = jest.fn<(message: string) => void>();
  iface.logger = { warn, error: jest.fn() };
  const config = createSessionConfig({
    SECRET_KEY: 'cache test key',
    PERMANENT_SESSION_LIFETIME: LIFETIME,
    ...overrides,
  });
  return { iface, config, warn };
}

/** The cookie value a response carries for `data` (and the interface remembers). */
function saved(iface: CookieSessionInterface, config: SessionConfig, data: Record<string, unknown>): string {
  const session = new SecureCookieSession(data);
  session.modified = true;
  const exchange = fakeExchange();
  iface.saveSession(config, session, exchange.response);
  return exchange.setCookies()[0]!.split(';')[0]!.slice('session='.length);
}

function open(iface: CookieSessionInterface, config: SessionConfig, value: string): SecureCookieSession {
  return iface.openSession(config, fakeExchange(`session=${value}`).request)!;
}

const rich = () => ({
  user: 'alice',
  roles: ['admin', 'editor'],
  nested: { list: [1, 2, { deep: 'x' }] },
  pair: Tuple.from([1, 'two']),
  html: new Markup('<b>hi</b>'),
  id: new UUID('12345678-1234-5678-1234-567812345678'),
  when: new Date('2026-01-02T03:04:05Z'),
  bytes: Buffer.from([1, 2, 3]),
});

describe.each(INTERFACES)('verified-cookie cache (%s)', (_name, factory) => {
  it('a cookie the response set opens from the cache, with objects of its own every time', () => {
    const { iface, config } = setup(factory);
    const value = saved(iface, config, rich());
    const first = open(iface, config, value);
    expect(iface.verifiedCacheStats).toEqual({ hits: 1, misses: 0 });
    // Mutating everything one request received...
    (first.get('roles') as string[]).push('root');
    ((first.get('nested') as { list: unknown[] }).list[2] as { deep: string }).deep = 'changed';
    (first.get('pair') as unknown[])[0] = 99;
    (first.get('bytes') as Buffer)[0] = 42;
    (first.get('when') as Date).setTime(0);
    first.set('user', 'mallory');
    // ...leaks into no other request.
    const second = open(iface, config, value);
    expect(iface.verifiedCacheStats).toEqual({ hits: 2, misses: 0 });
    expect(second.toJSON()).toEqual(rich());
    expect(second.get('pair')).toBeInstanceOf(Tuple);
    expect(second.get('html')).toBeInstanceOf(Markup);
    expect(second.get('id')).toBeInstanceOf(UUID);
    for (const key of ['roles', 'nested', 'pair', 'html', 'id', 'when', 'bytes'])
      expect(second.get(key)).not.toBe(first.get(key));
    expect(second.modified).toBe(false);
    expect(open(iface, config, value).get('roles')).not.toBe(second.get('roles'));
  });

  it('a cookie verified once is a hit the next time', () => {
    const { iface, config } = setup(factory);
    const value = saved(setup(factory).iface, config, { user: 'bob' });
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'bob' });
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 1 });
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'bob' });
    expect(iface.verifiedCacheStats).toEqual({ hits: 1, misses: 1 });
  });

  it('re-checks the signed age on every hit: max age is valid, a second more or a time before signing is not', () => {
    const { iface, config } = setup(factory);
    const value = saved(iface, config, { user: 'alice' });
    jest.setSystemTime((NOW + LIFETIME) * 1000);
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'alice' });
    jest.setSystemTime((NOW + LIFETIME + 1) * 1000);
    expect(open(iface, config, value).size).toBe(0);
    // A shorter lifetime applies to cookies already cached.
    jest.setSystemTime(NOW * 1000);
    const again = saved(iface, config, { user: 'carol' });
    jest.setSystemTime((NOW + 10) * 1000);
    expect(open(iface, { ...config, PERMANENT_SESSION_LIFETIME: 9 }, again).size).toBe(0);
    // Negative age (the clock went back): expired, as itsdangerous says.
    const future = saved(iface, config, { user: 'dave' });
    jest.setSystemTime((NOW + 9) * 1000);
    expect(open(iface, config, future).size).toBe(0);
  });

  it('an expired cookie is refused exactly as without the cache (same warnings, if the interface gives any)', () => {
    const cached = setup(factory);
    const uncached = setup(factory, { verifiedCacheBytes: 0 });
    const value = saved(cached.iface, cached.config, { user: 'alice' });
    jest.setSystemTime((NOW + LIFETIME + 1) * 1000);
    expect(open(cached.iface, cached.config, value).size).toBe(0);
    expect(open(uncached.iface, uncached.config, value).size).toBe(0);
    expect(cached.warn.mock.calls).toEqual(uncached.warn.mock.calls);
  });

  it('an expired hit drops the entry: the cookie is verified from then on', () => {
    const { iface, config } = setup(factory);
    const value = saved(iface, config, { user: 'alice' });
    jest.setSystemTime((NOW + LIFETIME + 1) * 1000);
    expect(open(iface, config, value).size).toBe(0);
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 1 });
    jest.setSystemTime(NOW * 1000);
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'alice' });
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 2 });
  });

  it('a change of keys empties it: a cookie of a removed key no longer opens, one of a fallback is verified again', () => {
    const { iface, config } = setup(factory);
    const value = saved(iface, config, { user: 'alice' });
    expect(open(iface, config, value).size).toBe(1);
    config.SECRET_KEY = 'the next key';
    expect(open(iface, config, value).size).toBe(0);
    const misses = iface.verifiedCacheStats.misses;
    config.SECRET_KEY_FALLBACKS = ['cache test key'];
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'alice' });
    expect(iface.verifiedCacheStats.misses).toBe(misses + 1);
    // Removing the fallback in place empties the cache again.
    (config.SECRET_KEY_FALLBACKS as string[]).pop();
    expect(open(iface, config, value).size).toBe(0);
  });

  it('an altered cookie never hits: every change of a cached value goes through verification', () => {
    const { iface, config, warn } = setup(factory);
    const value = saved(iface, config, { user: 'alice' });
    expect(open(iface, config, value).size).toBe(1);
    const last = value.at(-1)!;
    const altered = [
      value.slice(0, -1) + (last === 'A' ? 'B' : 'A'),
      `${value}A`,
      value.slice(0, -2),
      value.slice(1),
      value.toUpperCase(),
    ];
    const { hits } = iface.verifiedCacheStats;
    for (const value of altered) expect(open(iface, config, value).size).toBe(0);
    expect(iface.verifiedCacheStats.hits).toBe(hits);
    expect(iface.verifiedCacheStats.misses).toBe(altered.length);
    // Refused values are not remembered either.
    for (const value of altered) expect(open(iface, config, value).size).toBe(0);
    expect(iface.verifiedCacheStats.hits).toBe(hits);
    warn.mockClear();
  });

  it('keeps within its budget: the oldest cookies are dropped and verified again', () => {
    const budget = 4000;
    const { iface, config } = setup(factory, { verifiedCacheBytes: budget });
    const values = Array.from({ length: 40 }, (_, i) => saved(iface, config, { user: `user${i}`, n: i }));
    // The most recent ones are cached, the first ones were evicted.
    const hitsBefore = iface.verifiedCacheStats.hits;
    expect(open(iface, config, values.at(-1)!).get('n')).toBe(39);
    expect(iface.verifiedCacheStats.hits).toBe(hitsBefore + 1);
    expect(open(iface, config, values[0]!).get('n')).toBe(0);
    expect(iface.verifiedCacheStats.misses).toBe(1);
  });

  it('with more distinct cookies than it holds, it admits about one in sixteen; a cookie that keeps coming back is cached again', () => {
    const random = jest.spyOn(Math, 'random').mockImplementation(seededRandom(27));
    try {
      const { iface, config } = setup(factory, { verifiedCacheBytes: 4000 });
      const maker = setup(factory).iface;
      // A period (1,024 lookups) of cookies never seen again: it hits none of them.
      for (let i = 0; i < 1024; i += 1) open(iface, config, saved(maker, config, { user: `user${i}` }));
      expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 1024 });
      // Now about one cookie in sixteen is kept. A request that opens the returning cookie and
      // saves a new one (two candidates a request, the pattern a counter would alias with) still
      // gets the returning one admitted, and then it hits.
      const value = saved(maker, config, { user: 'returning' });
      let requests = 0;
      while (iface.verifiedCacheStats.hits === 0 && requests < 200) {
        const session = open(iface, config, value);
        expect(session.get('user')).toBe('returning');
        saved(iface, config, { user: 'returning', n: requests });
        requests += 1;
      }
      expect(iface.verifiedCacheStats.hits).toBe(1);
      // Responses are sampled the same way: of 320 new cookies, each sent back once right away,
      // about a sixteenth open from the cache.
      const hitsBefore = iface.verifiedCacheStats.hits;
      for (let i = 0; i < 320; i += 1) open(iface, config, saved(iface, config, { user: `new${i}` }));
      const sampled = iface.verifiedCacheStats.hits - hitsBefore;
      expect(sampled).toBeGreaterThanOrEqual(5);
      expect(sampled).toBeLessThanOrEqual(40);
    } finally {
      random.mockRestore();
    }
  });

  it('a session too large for an eighth of the budget is not kept', () => {
    const { iface, config } = setup(factory, { verifiedCacheBytes: 8000 });
    const value = saved(iface, config, { blob: 'x'.repeat(2000) });
    expect(open(iface, config, value).get('blob')).toHaveLength(2000);
    expect(open(iface, config, value).get('blob')).toHaveLength(2000);
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 2 });
  });

  it('verifiedCacheBytes: 0 turns it off; a bad budget is refused naming the option', () => {
    const { iface, config } = setup(factory, { verifiedCacheBytes: 0 });
    const value = saved(iface, config, { user: 'alice' });
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'alice' });
    expect(open(iface, config, value).toJSON()).toEqual({ user: 'alice' });
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 0 });
    for (const bad of [-1, 1.5, Number.NaN, Infinity])
      expect(() => factory({ verifiedCacheBytes: bad })).toThrow(/verifiedCacheBytes/);
  });
});

describe('verified-cookie cache and subclasses', () => {
  it('is bypassed when a subclass replaces how cookie values are read', () => {
    class Audited extends SecureCookieSessionInterface {
      reads = 0;
      override loadCookieValue(config: SessionConfig, value: string): unknown {
        this.reads += 1;
        return super.loadCookieValue(config, value);
      }
    }
    const { iface, config } = setup((options) => new Audited(options));
    const value = saved(iface, config, { user: 'alice' });
    open(iface, config, value);
    open(iface, config, value);
    expect((iface as Audited).reads).toBe(2);
    expect(iface.verifiedCacheStats).toEqual({ hits: 0, misses: 0 });
  });

  it('a payload whose text would not survive UTF-8 (a lone surrogate) is never remembered from a response', () => {
    const iface = new EncryptedCookieSessionInterface();
    iface.serializer = { dumps: () => '{"a":"\ud800"}', loads: (text) => JSON.parse(text) as unknown };
    const config = createSessionConfig({ SECRET_KEY: 'cache test key' });
    const value = saved(iface, config, { a: 'x' });
    iface.logger = { warn: jest.fn(), error: jest.fn() };
    open(iface, config, value);
    expect(iface.verifiedCacheStats.hits).toBe(0);
  });
});

describe('VerifiedCookieCache', () => {
  it('never holds more than its budget, evicting oldest first', () => {
    const cache = new VerifiedCookieCache(2000);
    for (let i = 0; i < 100; i += 1) {
      cache.remember(`value-${i}`, `{"n":${i}}`, NOW);
      expect(cache.bytes).toBeLessThanOrEqual(2000);
    }
    expect(cache.size).toBeGreaterThan(1);
    expect(cache.lookup('value-0', 60, NOW)).toBeUndefined();
    expect(cache.lookup('value-99', 60, NOW)).toBe('{"n":99}');
  });

  it('replacing an entry keeps the byte count exact; forgetting everything returns to zero', () => {
    const cache = new VerifiedCookieCache(10000);
    cache.remember('a', '{}', NOW);
    const one = cache.bytes;
    cache.remember('a', '{}', NOW + 1);
    expect(cache.bytes).toBe(one);
    expect(cache.size).toBe(1);
    cache.forget('a');
    expect(cache.bytes).toBe(0);
  });

  it('evicts the oldest live entry: a replaced or dropped entry no longer counts, however often it changed', () => {
    const cache = new VerifiedCookieCache(12000);
    cache.remember('a', '{}', NOW);
    cache.remember('b', '{}', NOW);
    for (let i = 0; i < 5000; i += 1) cache.remember('a', `{"i":${i % 10}}`, NOW);
    cache.forget('b');
    cache.remember('c', '{}', NOW);
    expect(cache.size).toBe(2);
    // Fill past the budget: 'a' (re-remembered last before 'c') goes before 'c'.
    let n = 0;
    while (cache.lookup('a', 60, NOW) !== undefined) cache.remember(`filler-${n++}`, '{}', NOW);
    expect(cache.lookup('c', 60, NOW)).toBe('{}');
    expect(cache.bytes).toBeLessThanOrEqual(12000);
    expect(n).toBeGreaterThan(10);
  });

  it('admits every value while lookups hit, one in sixteen after a period of mostly misses, and all again once hits return', () => {
    // Draws that fall under 1/16 once in every sixteen.
    let draw = 0;
    const cache = new VerifiedCookieCache(100_000, () => ((draw++ % 16) + 0.5) / 16);
    const admitted = (count: number) => Array.from({ length: count }, () => cache.admits()).filter(Boolean).length;
    expect(admitted(32)).toBe(32);
    // A period of 1,024 lookups with fewer than 256 hits: churning.
    cache.remember('hot', '{}', NOW);
    for (let i = 0; i < 255; i += 1) cache.lookup('hot', 60, NOW);
    for (let i = 0; i < 1024 - 255; i += 1) cache.lookup(`cold-${i}`, 60, NOW);
    expect(cache.isChurning).toBe(true);
    expect(admitted(64)).toBe(4);
    // A period with a quarter of hits or more: every value again.
    for (let i = 0; i < 256; i += 1) cache.lookup('hot', 60, NOW);
    for (let i = 0; i < 1024 - 256; i += 1) cache.lookup(`cold-${i}`, 60, NOW);
    expect(cache.isChurning).toBe(false);
    expect(admitted(32)).toBe(32);
    // Expired entries count as misses.
    for (let i = 0; i < 1024; i += 1) {
      cache.remember('old', '{}', NOW - 120);
      cache.lookup('old', 60, NOW);
    }
    expect(cache.isChurning).toBe(true);
  });

  it('a parsed form kept for a hit is counted like its text, once, and still evicts the oldest entries to stay in budget', () => {
    const cache = new VerifiedCookieCache(2000);
    cache.remember('a', '{"n":1}', NOW);
    const one = cache.bytes;
    const payload = cache.find('a', 60, NOW);
    if (typeof payload !== 'object') throw new Error('expected a hit');
    expect(payload.parsed).toBeUndefined();
    cache.keepParsed(payload, { n: 1 });
    expect(cache.bytes).toBe(one + 2 * '{"n":1}'.length);
    cache.keepParsed(payload, { n: 2 });
    expect(cache.bytes).toBe(one + 2 * '{"n":1}'.length);
    expect((cache.find('a', 60, NOW) as { parsed?: unknown }).parsed).toEqual({ n: 1 });
    for (let i = 0; i < 100; i += 1) {
      cache.remember(`value-${i}`, `{"n":${i}}`, NOW);
      const hit = cache.find(`value-${i}`, 60, NOW);
      if (typeof hit === 'object') cache.keepParsed(hit, { n: i });
      expect(cache.bytes).toBeLessThanOrEqual(2000);
    }
    // A payload whose entry is gone is not counted.
    cache.forget('value-99');
    const bytes = cache.bytes;
    cache.keepParsed({ text: '{}' }, {});
    expect(cache.bytes).toBe(bytes);
  });

  it('lookup applies 0 <= age <= maxAge and drops expired entries', () => {
    const cache = new VerifiedCookieCache(10000);
    cache.remember('a', '{}', NOW);
    expect(cache.lookup('a', 10, NOW + 10)).toBe('{}');
    expect(cache.lookup('a', 10, NOW - 1)).toBe(EXPIRED);
    expect(cache.lookup('a', 10, NOW)).toBeUndefined();
    cache.remember('b', '{}', NOW);
    expect(cache.lookup('b', 10, NOW + 11)).toBe(EXPIRED);
    expect(cache.size).toBe(0);
  });
});
