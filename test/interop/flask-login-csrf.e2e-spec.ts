/**
 * A real Flask 3.1 app with Flask-Login 0.6.3 and Flask-WTF 1.3 and a Nest app (on each platform)
 * share one cookie jar, on Flask's signed cookie and on Flask-Session's Redis sessions: each side
 * sees the other's logins (fresh or not), a remember-me cookie alone restores a login on either,
 * logouts stick on both, strong session protection treats a changed user agent alike, and CSRF
 * tokens of one side post to the other, with the same refusals (Flask-Login's login_manager.py and
 * utils.py, Flask-WTF's csrf.py).
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Controller, Get, HttpCode, Injectable, Post, Query, Req, type INestApplication } from '@nestjs/common';
import {
  FlaskSessionRedisInterface,
  getSession,
  SessionInterface,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { URLSafeTimedSerializer } from 'nest-flask-session/itsdangerous';
import { CsrfModule, CsrfService } from 'nest-flask-session/csrf';
import {
  CurrentUser,
  FreshLoginRequired,
  LoginManager,
  LoginModule,
  LoginRequired,
  UserLoader,
} from 'nest-flask-session/flask-login';
import { createApp, PLATFORMS } from '../support/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';
import { CookieJar, startPythonServer, stopPythonServer, type PythonServer } from '../support/python-server.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const PYTHON = 'python3';
const FLASK_APP = fileURLToPath(new URL('./flask_login_app.py', import.meta.url));
const flaskLoginInstalled =
  redisInstalled &&
  programWorks(PYTHON, [
    '-c',
    'import flask_login, flask_wtf, flask_session, redis; assert flask_login.__version__ == "0.6.3" and flask_wtf.__version__.startswith("1.3")',
  ]);
const SECRET_KEY = 'shared by Nest, Flask-Login and Flask-WTF: a test key';

interface User {
  id: string;
  active: boolean;
}

const USERS = new Map<string, User>([
  ['alice', { id: 'alice', active: true }],
  ['bob', { id: 'bob', active: true }],
  ['carol', { id: 'carol', active: false }],
]);

@Injectable()
class Users extends UserLoader<User> {
  loadUser(userId: string): User | null {
    return USERS.get(userId) ?? null;
  }

  getId(user: User): string {
    return user.id;
  }

  override isActive(user: User): boolean {
    return user.active;
  }
}

const LOGIN_KEYS = ['_user_id', '_fresh', '_id', '_remember', '_remember_seconds'];

/** The same routes as flask_login_app.py, under /nest. */
@Controller('nest')
class NestLoginController {
  constructor(
    private readonly login: LoginManager<User>,
    private readonly csrf: CsrfService,
  ) {}

  @Get('login')
  async logIn(
    @Req() request: object,
    @Query('user') id: string,
    @Query('remember') remember?: string,
    @Query('fresh') fresh?: string,
  ) {
    const ok = await this.login.loginUser(request, USERS.get(id)!, {
      remember: remember === '1',
      fresh: fresh !== '0',
    });
    return ok ? 'logged in' : 'inactive';
  }

  @Get('whoami')
  async whoami(@Req() request: object, @CurrentUser() user: User | null) {
    const session = await getSession(request);
    const keys = Object.fromEntries(LOGIN_KEYS.filter((key) => session.has(key)).map((key) => [key, session.get(key)]));
    return {
      user: user?.id ?? null,
      fresh: await this.login.loginFresh(request),
      remembered: await this.login.loginRemembered(request),
      keys,
    };
  }

  @Get('logout')
  async logOut(@Req() request: object) {
    await this.login.logoutUser(request);
    return 'logged out';
  }

  @Get('protected')
  @LoginRequired()
  protectedPage(@CurrentUser() user: User) {
    return `protected for ${user.id}`;
  }

  @Get('fresh')
  @FreshLoginRequired()
  freshPage(@CurrentUser() user: User) {
    return `fresh for ${user.id}`;
  }

  @Get('form')
  form(@Req() request: object) {
    return this.csrf.generateCsrf(request);
  }

  @Post('submit')
  @HttpCode(200)
  submit() {
    return 'accepted';
  }
}

interface WhoAmI {
  user: string | null;
  fresh: boolean;
  remembered: boolean;
  keys: Record<string, unknown>;
}

type Backend = 'cookie' | 'redis';

describeWithProgram(
  'Flask-Login 0.6.3 and Flask-WTF 1.3 share logins and CSRF tokens with Nest',
  flaskLoginInstalled,
  'apt-get install -y redis-server && python3 -m pip install flask-login==0.6.3 "flask-wtf==1.3.*" flask-session redis',
  () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await RedisServer.start();
    });
    afterAll(async () => {
      await redis.stop();
    });

    /** Starts Flask and, per platform, Nest with the same backend and protection mode; `body` gets both base URLs. */
    function withApps(
      backend: Backend,
      protection: 'basic' | 'strong',
      body: (bases: () => { flask: string; nest: string }) => void,
    ) {
      describe(`${backend} sessions, ${protection} session protection`, () => {
        let flask: PythonServer;
        beforeAll(async () => {
          flask = await startPythonServer(PYTHON, FLASK_APP, [SECRET_KEY, backend, redis.url, protection]);
        }, 30000);
        afterAll(async () => {
          if (flask) await stopPythonServer(flask);
        });

        describe.each(PLATFORMS)('with Nest on %s', (platform) => {
          let app: INestApplication;
          let nest: string;
          beforeAll(async () => {
            const options: SessionModuleOptions =
              backend === 'redis'
                ? { SECRET_KEY, SESSION_REDIS_URL: redis.url, sessionInterface: FlaskSessionRedisInterface }
                : { SECRET_KEY };
            app = await createApp(
              options,
              {
                controllers: [NestLoginController],
                imports: [
                  LoginModule.forRoot({ userLoader: Users, SESSION_PROTECTION: protection }),
                  CsrfModule.forRoot(),
                ],
              },
              undefined,
              platform,
            );
            await app.listen(0, '127.0.0.1');
            nest = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
          });
          afterAll(async () => {
            await app.close();
            if (backend === 'redis') await (app.get(SessionInterface) as FlaskSessionRedisInterface).close();
          });

          body(() => ({ flask: flask.base, nest }));
        });
      });
    }

    for (const backend of ['cookie', 'redis'] as const) {
      withApps(backend, 'basic', (bases) => {
        const sides = () => {
          const { flask, nest } = bases();
          return [
            { name: 'Flask', base: `${flask}/flask`, other: `${nest}/nest`, otherName: 'Nest' },
            { name: 'Nest', base: `${nest}/nest`, other: `${flask}/flask`, otherName: 'Flask' },
          ];
        };
        const read = async (jar: CookieJar, base: string) =>
          JSON.parse((await jar.request(base, '/whoami')).text) as WhoAmI;

        it('a login on either side is seen by the other, fresh, with the same session keys', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            expect((await jar.request(base, '/login?user=alice')).text).toBe('logged in');
            const seen = await read(jar, other);
            expect(seen).toMatchObject({ user: 'alice', fresh: true, remembered: false });
            expect(Object.keys(seen.keys).sort()).toEqual(['_fresh', '_id', '_user_id']);
            expect(seen.keys._id).toMatch(/^[0-9a-f]{128}$/);
            // Both compute the same session identifier for this client: the login stays fresh on both.
            expect(await read(jar, base)).toEqual(seen);
            expect((await jar.request(other, '/protected')).text).toBe('protected for alice');
            expect((await jar.request(other, '/fresh')).text).toBe('fresh for alice');
          }
        });

        it('both sides build the session identifier from X-Forwarded-For and the user agent alike', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            const client = { 'x-forwarded-for': '203.0.113.5, 10.0.0.1', 'user-agent': 'Browser/1.0 (X11)' };
            await jar.request(base, '/login?user=alice', { headers: client });
            const same = JSON.parse((await jar.request(other, '/whoami', { headers: client })).text) as WhoAmI;
            expect(same).toMatchObject({ user: 'alice', fresh: true });
            // Another forwarded address is another client: basic protection marks the login non-fresh, on either side.
            const moved = { ...client, 'x-forwarded-for': '198.51.100.7' };
            const seen = JSON.parse((await jar.request(other, '/whoami', { headers: moved })).text) as WhoAmI;
            expect(seen).toMatchObject({ user: 'alice', fresh: false });
            expect(JSON.parse((await jar.request(base, '/whoami', { headers: client })).text)).toMatchObject({
              user: 'alice',
              fresh: false,
            });
          }
        });

        it('an inactive user is refused on both sides', async () => {
          for (const { base } of sides()) {
            const jar = new CookieJar();
            const response = await jar.request(base, '/login?user=carol');
            expect(response.text).toBe('inactive');
            expect((await read(jar, base)).user).toBeNull();
          }
        });

        it('a non-fresh login passes login_required but not fresh_login_required, on both sides', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            await jar.request(base, '/login?user=bob&fresh=0');
            expect(await read(jar, other)).toMatchObject({ user: 'bob', fresh: false });
            for (const side of [base, other]) {
              expect((await jar.request(side, '/protected')).text).toBe('protected for bob');
              expect((await jar.request(side, '/fresh')).status).toBe(401);
            }
          }
        });

        it('anonymous requests get 401 from login_required on both sides', async () => {
          for (const { base } of sides()) {
            const jar = new CookieJar();
            expect((await jar.request(base, '/protected')).status).toBe(401);
          }
        });

        it('the remember-me cookie alone restores the login, not fresh, on either side', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            await jar.request(base, '/login?user=alice&remember=1');
            const token = jar.value('remember_token');
            expect(token).toMatch(/^alice\|[0-9a-f]{128}$/);
            // The browser closes: the session cookie is gone, the remember-me cookie stays.
            jar.drop('session');
            const seen = await read(jar, other);
            expect(seen).toMatchObject({ user: 'alice', fresh: false, remembered: true });
            expect(seen.keys).toMatchObject({ _user_id: 'alice', _fresh: false });
            expect(jar.value('session')).toBeDefined();
            // The restored login is shared back, and needs a fresh login for sensitive pages.
            expect(await read(jar, base)).toMatchObject({ user: 'alice', fresh: false, remembered: true });
            expect((await jar.request(base, '/fresh')).status).toBe(401);
            expect((await jar.request(other, '/fresh')).status).toBe(401);
            expect(jar.value('remember_token')).toBe(token);
          }
        });

        it('both sides write the same remember-me cookie for the same user', async () => {
          const values: string[] = [];
          for (const { base } of sides()) {
            const jar = new CookieJar();
            const response = await jar.request(base, '/login?user=bob&remember=1');
            const line = response.setCookies.find((header) => header.startsWith('remember_token='))!;
            expect(line).toMatch(/^remember_token=bob\|[0-9a-f]{128}; Expires=[^;]+ GMT; HttpOnly; Path=\/$/);
            values.push(jar.value('remember_token')!);
          }
          expect(values[0]).toBe(values[1]);
        });

        it('a logout on either side is seen by the other, and deletes the remember-me cookie', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            await jar.request(base, '/login?user=alice&remember=1');
            const before = jar.value('session');
            expect(jar.value('remember_token')).toBeDefined();
            const out = await jar.request(other, '/logout');
            expect(out.text).toBe('logged out');
            expect(
              out.setCookies.some((line) =>
                /^remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/$/.test(line),
              ),
            ).toBe(true);
            expect(jar.value('remember_token')).toBeUndefined();
            const seen = await read(jar, base);
            expect(seen).toMatchObject({ user: null, fresh: false, remembered: false });
            // A Flask-Session session holding only `_permanent` counts as empty (its `__bool__`), so
            // session protection leaves it alone on both sides.
            expect(seen.keys).toEqual({});
            expect((await jar.request(base, '/protected')).status).toBe(401);
            if (backend === 'redis' && other.endsWith('/nest')) {
              // Nest moved the logged-out session to a new id: the old cookie logs no one in.
              expect(jar.value('session')).not.toBe(before);
              const stolen = await fetch(`${base}/whoami`, { headers: { cookie: `session=${before!}` } });
              expect(((await stolen.json()) as WhoAmI).user).toBeNull();
            }
          }
        });

        if (backend === 'redis') {
          it('a login on Nest moves the Flask-Session session to a new id, keeping its data (no session fixation)', async () => {
            const { flask, nest } = bases();
            const jar = new CookieJar();
            const token = (await jar.request(flask, '/flask/form')).text;
            const planted = jar.value('session')!;
            expect(planted).toBeDefined();
            await jar.request(nest, '/nest/login?user=alice');
            expect(jar.value('session')).not.toBe(planted);
            expect(await read(jar, `${flask}/flask`)).toMatchObject({ user: 'alice', fresh: true });
            // The data moved along: the CSRF token of the page rendered before the login still posts.
            expect(
              (await jar.request(flask, '/flask/submit', { method: 'POST', form: { csrf_token: token } })).text,
            ).toBe('accepted');
            // The planted id opens nothing any more.
            const replay = await fetch(`${flask}/flask/whoami`, { headers: { cookie: `session=${planted}` } });
            expect(((await replay.json()) as WhoAmI).user).toBeNull();
          });
        }

        it('a CSRF token from one side posts to the other, in the form or in the X-CSRFToken header', async () => {
          for (const { base, other } of sides()) {
            const jar = new CookieJar();
            const token = (await jar.request(base, '/form')).text;
            expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
            const posted = await jar.request(other, '/submit', {
              method: 'POST',
              form: { csrf_token: token, note: 'hi' },
            });
            expect(posted).toMatchObject({ status: 200, text: 'accepted' });
            const header = await jar.request(other, '/submit', { method: 'POST', headers: { 'X-CSRFToken': token } });
            expect(header.text).toBe('accepted');
            // The session's raw token is the one both sides sign.
            const raw = (await jar.request(bases().flask, '/flask/csrf-raw')).text;
            expect(raw).toMatch(/^[0-9a-f]{40}$/);
            expect(new URLSafeTimedSerializer(SECRET_KEY, { salt: 'wtf-csrf-token' }).loads(token)).toBe(raw);
          }
        });

        it('missing, expired, tampered and foreign tokens are refused by both sides with the same reasons', async () => {
          const { flask, nest } = bases();
          const jar = new CookieJar();
          await jar.request(nest, '/nest/form');
          const raw = (await jar.request(flask, '/flask/csrf-raw')).text;
          const signer = (now: number) =>
            new URLSafeTimedSerializer(SECRET_KEY, { salt: 'wtf-csrf-token', now: () => now });
          const nowSeconds = Math.floor(Date.now() / 1000);
          const fresh = signer(nowSeconds).dumps(raw);
          const cases: Array<[string, Record<string, string> | undefined, string]> = [
            ['missing', undefined, 'The CSRF token is missing.'],
            ['expired', { csrf_token: signer(nowSeconds - 3601).dumps(raw) }, 'The CSRF token has expired.'],
            [
              'tampered',
              { csrf_token: `${fresh.slice(0, -2)}${fresh.endsWith('AA') ? 'BB' : 'AA'}` },
              'The CSRF token is invalid.',
            ],
            [
              'other key',
              { csrf_token: new URLSafeTimedSerializer('another key', { salt: 'wtf-csrf-token' }).dumps(raw) },
              'The CSRF token is invalid.',
            ],
            [
              'other session',
              { csrf_token: signer(nowSeconds).dumps('0'.repeat(40)) },
              'The CSRF tokens do not match.',
            ],
          ];
          for (const [, form, reason] of cases) {
            const onFlask = await jar.request(flask, '/flask/submit', {
              method: 'POST',
              form: form ?? { note: 'no token' },
            });
            expect(onFlask).toMatchObject({ status: 400, text: reason });
            const onNest = await jar.request(nest, '/nest/submit', {
              method: 'POST',
              form: form ?? { note: 'no token' },
            });
            expect(onNest.status).toBe(400);
            expect((JSON.parse(onNest.text) as { message: string }).message).toBe(reason);
          }
          // A session without a token: both say so.
          const empty = new CookieJar();
          const onFlask = await empty.request(flask, '/flask/submit', { method: 'POST', form: { csrf_token: fresh } });
          const onNest = await empty.request(nest, '/nest/submit', { method: 'POST', form: { csrf_token: fresh } });
          expect(onFlask.text).toBe('The CSRF session token is missing.');
          expect((JSON.parse(onNest.text) as { message: string }).message).toBe('The CSRF session token is missing.');
        });
      });

      withApps(backend, 'strong', (bases) => {
        it('a changed user agent loses the login on both sides (non-permanent sessions), or only freshness (permanent ones)', async () => {
          const { flask, nest } = bases();
          for (const [base, other] of [
            [`${flask}/flask`, `${nest}/nest`],
            [`${nest}/nest`, `${flask}/flask`],
          ] as const) {
            for (const reader of [other, base]) {
              const jar = new CookieJar();
              await jar.request(base, '/login?user=alice&remember=1', { headers: { 'user-agent': 'Browser A' } });
              expect(
                JSON.parse((await jar.request(reader, '/whoami', { headers: { 'user-agent': 'Browser A' } })).text),
              ).toMatchObject({
                user: 'alice',
                fresh: true,
              });
              const stolen = await jar.request(reader, '/whoami', { headers: { 'user-agent': 'Browser B' } });
              const seen = JSON.parse(stolen.text) as WhoAmI;
              if (backend === 'cookie') {
                // Flask's cookie session is not permanent: strong protection drops the login and the remember-me cookie.
                expect(seen).toMatchObject({ user: null, fresh: false, keys: {} });
                expect(jar.value('remember_token')).toBeUndefined();
                expect(
                  JSON.parse((await jar.request(base, '/whoami', { headers: { 'user-agent': 'Browser A' } })).text),
                ).toMatchObject({ user: null });
              } else {
                // Flask-Session's sessions are permanent: Flask-Login only marks them non-fresh.
                expect(seen).toMatchObject({ user: 'alice', fresh: false });
                expect(
                  JSON.parse((await jar.request(base, '/whoami', { headers: { 'user-agent': 'Browser A' } })).text),
                ).toMatchObject({
                  user: 'alice',
                  fresh: false,
                });
              }
            }
          }
        });
      });
    }
  },
);
