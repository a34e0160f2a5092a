/**
 * A real Flask 3.1 + Flask-Session 0.8 app and a Nest app (on each platform) share one
 * redis-server and one cookie jar, as two apps behind one domain would during a migration: each
 * reads, changes and logs out the other's sessions, in both serialization formats, with bare and
 * with signed ids.
 */
import { fileURLToPath } from 'node:url';
import { Controller, Get } from '@nestjs/common';
import { FlaskSessionRedisInterface, Session, type RedisSession, type SessionConfig } from 'nest-flask-session';
import { createApp, PLATFORMS, useListeningApp } from '../support/create-app.js';
import { redisInstalled } from '../support/redis-server.js';
import { useRedisApps } from '../support/fixture-apps/index.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';
import { CookieJar, usePythonServer } from '../support/python-server.js';

const PYTHON = 'python3';
const FLASK_APP = fileURLToPath(new URL('./flask_session_app.py', import.meta.url));
const flaskSessionInstalled =
  redisInstalled &&
  programWorks(PYTHON, [
    '-c',
    'import flask, flask_session, redis; assert flask_session.__version__.startswith("0.8")',
  ]);
const SECRET_KEY = 'shared by Nest and Flask-Session: a test key of some length';
const LIFETIME = 3600;
type Data = Record<string, unknown>;

/** Each value with the JavaScript type the Nest handler got, mirroring flask_session_app.py's `describe`. */
function describeValue(value: unknown): unknown {
  if (value instanceof Date) return { date: value.toISOString() };
  if (Buffer.isBuffer(value)) return { buffer: value.toString('hex') };
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (Array.isArray(value)) return value.map(describeValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, describeValue(item)]));
  return value;
}

@Controller('nest')
class NestSideController {
  @Get('/read')
  read(@Session() session: RedisSession<Data>) {
    return { id: session.id, new: session.new, permanent: session.permanent, data: describeValue(session.toJSON()) };
  }

  @Get('/write')
  write(@Session() session: RedisSession<Data>) {
    session.set('profile', { name: 'Zoë', tags: ['a', { deep: [1, 2.5, null, true] }] });
    session.set('seen_at', new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 123)));
    session.set('token', Buffer.from([0, 1, 254, 255]));
    session.set('nest_visits', ((session.get('nest_visits') as number | undefined) ?? 0) + 1);
    return 'written on nest';
  }

  @Get('/browser-session')
  browserSession(@Session() session: RedisSession<Data>) {
    session.permanent = false;
    session.set('short', 'lived');
    return '';
  }

  @Get('/logout')
  async logout(@Session() session: RedisSession<Data>) {
    await session.destroy();
    return 'logged out on nest';
  }

  @Get('/nothing')
  nothing() {
    return 'nothing';
  }
}

interface FlaskView {
  sid: string;
  permanent: boolean;
  empty: boolean;
  data: Data;
}

interface NestView {
  id: string;
  new: boolean;
  permanent: unknown;
  data: Data;
}

const VARIANTS: ReadonlyArray<{ format: SessionConfig['SESSION_SERIALIZATION_FORMAT']; signed: boolean }> = [
  { format: 'msgpack', signed: false },
  { format: 'json', signed: false },
  { format: 'msgpack', signed: true },
  { format: 'json', signed: true },
];

describeWithProgram(
  'Flask-Session 0.8 and Nest share sessions in one redis-server',
  flaskSessionInstalled,
  'apt-get install -y redis-server && python3 -m pip install flask-session redis',
  () => {
    const store = useRedisApps();

    describe.each(VARIANTS)('$format, signed ids: $signed', ({ format, signed }) => {
      const flask = usePythonServer(PYTHON, FLASK_APP, () => [
        store.server.url,
        SECRET_KEY,
        format,
        String(signed),
        String(LIFETIME),
      ]);

      describe.each(PLATFORMS)('with Nest on %s', (platform) => {
        const nest = useListeningApp(() =>
          createApp(
            {
              SECRET_KEY,
              SESSION_REDIS_URL: store.server.url,
              SESSION_SERIALIZATION_FORMAT: format,
              SESSION_USE_SIGNER: signed,
              PERMANENT_SESSION_LIFETIME: LIFETIME,
              sessionInterface: FlaskSessionRedisInterface,
            },
            { controllers: [NestSideController] },
            undefined,
            platform,
          ),
        );

        const flaskRead = async (jar: CookieJar) =>
          JSON.parse((await jar.get(flask.base, '/flask/read')).text) as FlaskView;
        const nestRead = async (jar: CookieJar) =>
          JSON.parse((await jar.get(nest.base, '/nest/read')).text) as NestView;
        const idOf = (cookie: string) => (signed ? cookie.slice(0, cookie.lastIndexOf('.')) : cookie);

        it('login on Flask, read on Nest with the types Flask-Session gives a Flask handler', async () => {
          const jar = new CookieJar();
          expect((await jar.get(flask.base, '/flask/login')).status).toBe(200);
          const cookie = jar.value('session')!;
          const sid = idOf(cookie);
          expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
          if (signed) expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{27}$/);
          const stored = await store.redis.getBuffer(`session:${sid}`);
          expect(stored).not.toBeNull();
          if (format === 'json')
            expect(JSON.parse(stored!.toString('utf8'))).toMatchObject({ user_id: 'alice', blob: 'AP8Q' });

          const seen = await nestRead(jar);
          expect(seen.id).toBe(sid);
          expect(seen.new).toBe(false);
          expect(seen.permanent).toBe(true);
          expect(seen.data).toEqual({
            _permanent: true,
            user_id: 'alice',
            roles: ['admin', 'dev'],
            // msgspec's JSON has no datetime or bytes: RFC 3339 and base64 text, on both sides.
            since: format === 'msgpack' ? { date: '2026-11-30T09:30:15.250Z' } : '2026-11-30T09:30:15.250000Z',
            blob: format === 'msgpack' ? { buffer: '00ff10' } : 'AP8Q',
            big: format === 'msgpack' ? { bigint: String(2n ** 60n) } : 2 ** 60,
          });
          // Still the same session on Flask's side after Nest read (and refreshed) it.
          expect((await flaskRead(jar)).sid).toBe(sid);
        });

        it('write on Nest (nested data, a Date, a Buffer), read on Flask; then both keep counting', async () => {
          const jar = new CookieJar();
          await jar.get(flask.base, '/flask/login');
          const sid = idOf(jar.value('session')!);
          expect((await jar.get(nest.base, '/nest/write')).text).toBe('written on nest');
          expect(idOf(jar.value('session')!)).toBe(sid);

          const view = await flaskRead(jar);
          expect(view.sid).toBe(sid);
          expect(view.data).toMatchObject({
            user_id: 'alice',
            profile: { name: 'Zoë', tags: ['a', { deep: [1, 2.5, null, true] }] },
            nest_visits: 1,
            ...(format === 'msgpack'
              ? {
                  seen_at: { datetime: '2026-11-30T12:00:00.123000+00:00', aware: true },
                  token: { bytes: '0001feff' },
                  // A tuple comes back from MessagePack as a list, as Flask-Session gives it to Flask too.
                  roles: ['admin', 'dev'],
                  since: { datetime: '2026-11-30T09:30:15.250000+00:00', aware: true },
                  blob: { bytes: '00ff10' },
                  big: { int: String(2n ** 60n) },
                }
              : { seen_at: '2026-11-30T12:00:00.123000Z', token: 'AAH+/w==' }),
          });
          expect((await jar.get(flask.base, '/flask/bump')).text).toBe('1');
          await jar.get(nest.base, '/nest/write');
          const again = await flaskRead(jar);
          expect(again.data).toMatchObject({ flask_visits: 1, nest_visits: 2 });
        });

        it('a session started on Nest is Flask-Session-shaped: a bare or signed id, _permanent, the lifetime as TTL', async () => {
          const jar = new CookieJar();
          const res = await jar.get(nest.base, '/nest/write');
          expect(res.setCookies).toHaveLength(1);
          expect(res.setCookies[0]).toMatch(/; Expires=/);
          const sid = idOf(jar.value('session')!);
          expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
          const ttl = await store.redis.ttl(`session:${sid}`);
          expect(ttl).toBeGreaterThan(LIFETIME - 10);
          expect(ttl).toBeLessThanOrEqual(LIFETIME);
          const view = await flaskRead(jar);
          expect(view).toMatchObject({ sid, permanent: true, empty: false });
          expect(view.data).toMatchObject({ _permanent: true, nest_visits: 1 });
        });

        it('a permanent session is refreshed on every request by either side: TTL back to the lifetime, cookie re-sent', async () => {
          const jar = new CookieJar();
          await jar.get(flask.base, '/flask/login');
          const key = `session:${idOf(jar.value('session')!)}`;
          await store.redis.expire(key, 100);
          const read = await jar.get(nest.base, '/nest/nothing');
          expect(read.setCookies).toHaveLength(1);
          expect(read.setCookies[0]).toMatch(/^session=[^;]+; Expires=/);
          expect(await store.redis.ttl(key)).toBeGreaterThan(LIFETIME - 10);
          await store.redis.expire(key, 100);
          const flaskSide = await jar.get(flask.base, '/flask/nothing');
          expect(flaskSide.setCookies).toHaveLength(1);
          expect(await store.redis.ttl(key)).toBeGreaterThan(LIFETIME - 10);
        });

        it('a non-permanent session: a browser-session cookie, still stored for the lifetime (Flask-Session), and Flask agrees', async () => {
          const jar = new CookieJar();
          const res = await jar.get(nest.base, '/nest/browser-session');
          expect(res.setCookies[0]).not.toMatch(/Expires=/);
          const key = `session:${idOf(jar.value('session')!)}`;
          expect(await store.redis.ttl(key)).toBeGreaterThan(LIFETIME - 10);
          const view = await flaskRead(jar);
          expect(view).toMatchObject({ permanent: false, data: { _permanent: false, short: 'lived' } });
          // Unmodified and not permanent: the TTL is refreshed, no cookie is sent (Flask's should_set_cookie).
          await store.redis.expire(key, 100);
          const again = await jar.get(nest.base, '/nest/read');
          expect(again.setCookies).toEqual([]);
          expect(await store.redis.ttl(key)).toBeGreaterThan(LIFETIME - 10);
        });

        it('logout on Flask logs out Nest too, for this browser and for any copy of its cookie', async () => {
          const jar = new CookieJar();
          await jar.get(flask.base, '/flask/login');
          await jar.get(nest.base, '/nest/write');
          const copy = new CookieJar();
          copy.store(new Response(null, { headers: { 'set-cookie': `session=${jar.value('session')}` } }));
          const sid = idOf(jar.value('session')!);
          const logout = await jar.get(flask.base, '/flask/logout');
          expect(logout.setCookies[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
          expect(await store.redis.exists(`session:${sid}`)).toBe(0);
          for (const browser of [jar, copy]) {
            const seen = await nestRead(browser);
            expect(seen.new).toBe(true);
            expect(seen.id).not.toBe(sid);
            expect(seen.data).toEqual({ _permanent: true });
          }
        });

        it('logout on Nest logs out Flask too, for this browser and for any copy of its cookie', async () => {
          const jar = new CookieJar();
          await jar.get(flask.base, '/flask/login');
          const copy = new CookieJar();
          copy.store(new Response(null, { headers: { 'set-cookie': `session=${jar.value('session')}` } }));
          const sid = idOf(jar.value('session')!);
          const logout = await jar.get(nest.base, '/nest/logout');
          expect(logout.setCookies[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
          expect(jar.value('session')).toBeUndefined();
          expect(await store.redis.exists(`session:${sid}`)).toBe(0);
          for (const browser of [jar, copy]) {
            const view = await flaskRead(browser);
            expect(view.sid).not.toBe(sid);
            expect(view.empty).toBe(true);
          }
        });
      });
    });
  },
);
