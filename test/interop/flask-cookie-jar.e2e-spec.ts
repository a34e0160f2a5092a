/**
 * A Nest app (on each platform) and a real Flask app, both on 127.0.0.1 with the same SECRET_KEY,
 * share one cookie jar as a browser would (cookies ignore ports): a session set by Nest is read
 * and changed by Flask, and Flask's changes, rich types included, are read and changed by Nest.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { SecureCookieSession, Session } from 'nest-flask-session';
import { TaggedJSONSerializer, Tuple } from 'nest-flask-session/tagged-json';
import { createApp, PLATFORMS } from '../support/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';
import { CookieJar, startPythonServer, stopPythonServer, type PythonServer } from '../support/python-server.js';

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

describeWithProgram(
  'one cookie jar shared by Nest and a real Flask app',
  flaskInstalled,
  'apt-get install -y python3-flask',
  () => {
    let flask: PythonServer;
    beforeAll(async () => {
      flask = await startPythonServer(PYTHON, FLASK_APP, [SECRET_KEY]);
    }, 30000);
    afterAll(async () => {
      if (flask) await stopPythonServer(flask);
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
        expect(tagged.loads(flaskRead.text)).toEqual({
          nest_user: 'alice',
          cart: Tuple.of<unknown>('book', 2),
          note: 'Zürich ☃',
        });
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
  },
);
