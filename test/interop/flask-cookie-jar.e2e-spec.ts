/**
 * A Nest app (on each platform) and a real Flask app, both on 127.0.0.1 with the same SECRET_KEY,
 * share one cookie jar as a browser would (cookies ignore ports): a session set by Nest is read
 * and changed by Flask, and Flask's changes, rich types included, are read and changed by Nest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { SecureCookieSession, Session, TaggedJSONSerializer, Tuple } from 'nest-flask-session';
import { createApp, PLATFORMS } from '../e2e/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';

const PYTHON = '/usr/bin/python3';
const FLASK_APP = fileURLToPath(new URL('./flask_app.py', import.meta.url));
const flaskInstalled = programWorks(PYTHON, ['-c', 'import flask']);
const SECRET_KEY = 'shared by Nest and Flask: cookie jar test key';
const tagged = new TaggedJSONSerializer();
type Data = Record<string, unknown>;

@Controller('nest')
class NestSideController {
  @Get('/login')
  login(@Session() session: SecureCookieSession<Data>) {
    session.update({ nest_user: 'alice', cart: Tuple.of<unknown>('book', 2), note: 'Zürich ☃' });
    return 'logged in';
  }

  @Get('/read')
  read(@Session() session: SecureCookieSession<Data>) {
    return tagged.dumps({ ...session.toJSON(), _permanent_seen: session.permanent });
  }

  @Get('/modify')
  modify(@Session() session: SecureCookieSession<Data>) {
    session.set('flask_visits', (session.get('flask_visits') as number) * 10);
    session.set('nest_saw', Tuple.from(session.get('from_flask') as unknown[]));
    session.delete('note');
    return 'modified';
  }
}

/** One cookie jar for every origin on 127.0.0.1, as a browser keeps it (ports do not matter). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): string[] {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const [pair] = line.split(';', 1);
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      const expired = /;\s*Max-Age=0/i.test(line) || /;\s*Expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }

  async get(base: string, path: string): Promise<{ status: number; text: string; setCookies: string[] }> {
    const cookie = this.header();
    const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    const setCookies = this.store(response);
    return { status: response.status, text: await response.text(), setCookies };
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts flask_app.py on a free port; resolves once it prints "ready". */
async function startFlask(): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(PYTHON, [FLASK_APP, String(port), SECRET_KEY], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flask_app.py did not start: ${stderr}`)), 20000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flask_app.py exited (${code}): ${stderr}`));
    });
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

async function stopFlask(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

describeWithProgram('one cookie jar shared by Nest and a real Flask app', flaskInstalled, 'apt-get install -y python3-flask', () => {
  let flask: { child: ChildProcess; base: string };
  beforeAll(async () => {
    flask = await startFlask();
  }, 30000);
  afterAll(async () => {
    if (flask) await stopFlask(flask.child);
  });

  describe.each(PLATFORMS)('with Nest on %s', (platform) => {
    let app: INestApplication;
    let nest: string;
    beforeAll(async () => {
      app = await createApp({ SECRET_KEY }, { controllers: [NestSideController] }, undefined, platform);
      await app.listen(0, '127.0.0.1');
      nest = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app.close();
    });

    it('Nest sets a session, Flask reads and changes it, Nest reads the changes and changes it again, Flask reads that', async () => {
      const jar = new CookieJar();

      // Nest logs in: a Flask-format cookie in the jar.
      const login = await jar.get(nest, '/nest/login');
      expect(login.status).toBe(200);
      expect(login.setCookies).toHaveLength(1);

      // Flask opens Nest's cookie with its own SecureCookieSessionInterface.
      const flaskRead = await jar.get(flask.base, '/flask/read');
      expect(flaskRead.status).toBe(200);
      expect(tagged.loads(flaskRead.text)).toEqual({ nest_user: 'alice', cart: Tuple.of<unknown>('book', 2), note: 'Zürich ☃' });
      expect(flaskRead.setCookies).toEqual([]);

      // Flask changes it (rich types, permanent) and re-signs it.
      const flaskModify = await jar.get(flask.base, '/flask/modify');
      expect(flaskModify.text).toBe('modified');
      expect(flaskModify.setCookies).toHaveLength(1);
      expect(flaskModify.setCookies[0]).toMatch(/^session=[^;]+; Expires=/);

      // Nest reads Flask's changes, with their Python types.
      const nestRead = await jar.get(nest, '/nest/read');
      expect(nestRead.status).toBe(200);
      const seen = tagged.loads(nestRead.text) as Data;
      expect(seen).toEqual({
        nest_user: 'alice',
        cart: Tuple.of<unknown>('book', 2),
        note: 'Zürich ☃',
        flask_visits: 1,
        from_flask: Tuple.of<unknown>('tuple', 1),
        raw: Buffer.from([0xff, 0x00]),
        when: new Date(Date.UTC(2026, 10, 30, 12, 0, 0)),
        seen_nest_user: 'alice',
        _permanent: true,
        _permanent_seen: true,
      });
      expect(seen.from_flask).toBeInstanceOf(Tuple);
      // A permanent session read by Nest is refreshed, as Flask does.
      expect(nestRead.setCookies).toHaveLength(1);
      expect(nestRead.setCookies[0]).toMatch(/^session=[^;]+; Expires=/);

      // Nest changes it; Flask reads Nest's changes.
      const nestModify = await jar.get(nest, '/nest/modify');
      expect(nestModify.text).toBe('modified');
      const flaskAgain = await jar.get(flask.base, '/flask/read');
      expect(tagged.loads(flaskAgain.text)).toEqual({
        nest_user: 'alice',
        cart: Tuple.of<unknown>('book', 2),
        flask_visits: 10,
        from_flask: Tuple.of<unknown>('tuple', 1),
        raw: Buffer.from([0xff, 0x00]),
        when: new Date(Date.UTC(2026, 10, 30, 12, 0, 0)),
        seen_nest_user: 'alice',
        nest_saw: Tuple.of<unknown>('tuple', 1),
        _permanent: true,
      });

      // And once more through Flask: its counter continues from Nest's value.
      await jar.get(flask.base, '/flask/modify');
      const last = tagged.loads((await jar.get(nest, '/nest/read')).text) as Data;
      expect(last.flask_visits).toBe(11);
    });
  });
});
