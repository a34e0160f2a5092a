/**
 * Which `session` cookie a real Flask app (python3, Flask 3.1 / Werkzeug 3.1) and a Nest app (on
 * each platform) open from the same `Cookie` header bytes, sent over a raw socket as a client puts
 * them on the wire. Werkzeug reads the header as the WSGI server hands it over, one character per
 * byte (Latin-1), and trims names and values with Python's `str.strip()`; Node's HTTP parser hands
 * us the same characters. Non-ASCII bytes around a name or a value must make both apps pick the
 * same cookie, or one domain's Flask app and Nest app would use different sessions.
 * Upstream: werkzeug/sansio/http.py `parse_cookie`, werkzeug/serving.py (WSGI environ).
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { type SecureCookieSession, Session } from 'nest-flask-session';
import { createSessionCookie } from 'nest-flask-session/testing';
import { createApp, PLATFORMS } from '../support/create-app.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';
import { startPythonServer, stopPythonServer, type PythonServer } from '../support/python-server.js';
import { rawGet } from '../support/raw-http.js';

const PYTHON = 'python3';
const FLASK_APP = fileURLToPath(new URL('./flask_session_reader.py', import.meta.url));
const flaskInstalled = programWorks(PYTHON, ['-c', 'import flask, werkzeug']);
const SECRET_KEY = 'shared by Nest and Flask: cookie bytes test key';

@Controller()
class SessionReaderController {
  @Get('/session')
  read(@Session() session: SecureCookieSession<Record<string, unknown>>): string {
    const data = session.toJSON();
    return JSON.stringify(
      Object.fromEntries(
        Object.keys(data)
          .sort()
          .map((key) => [key, data[key]]),
      ),
    );
  }
}

const cookieValue = (data: Record<string, unknown>) =>
  createSessionCookie(data, { SECRET_KEY }).slice('session='.length);
const ATTACKER = cookieValue({ user: 'attacker' });
const VICTIM = cookieValue({ user: 'victim' });

/** Header bytes: `{A}`/`{V}` stand for the attacker's and the victim's cookie values. */
const bytes = (header: string) => Buffer.from(header.replace('{A}', ATTACKER).replace('{V}', VICTIM), 'latin1');

// [what the header holds, its bytes, the session Flask opens]. Bytes after a signed value are left
// out: itsdangerous' lenient base64 ignores junk after the signature, which our strict decoder
// refuses on purpose (README: "lenient base64 in signatures"); that is not about picking the cookie.
const CASES: Array<[string, Buffer, Record<string, unknown>]> = [
  ['a plain cookie', bytes('session={V}'), { user: 'victim' }],
  ['U+00A0 in UTF-8 (c2 a0) after a name', bytes('session\xc2\xa0={A}; session={V}'), { user: 'victim' }],
  ['U+2003 in UTF-8 (e2 80 83) before a name', bytes('\xe2\x80\x83session={A}; session={V}'), { user: 'victim' }],
  ['U+00A0 in UTF-8 before a value', bytes('session=\xc2\xa0{V}'), {}],
  ['U+0085 in UTF-8 (c2 85) before a value', bytes('session=\xc2\x85{V}'), {}],
  ['the byte a0 (Latin-1 NBSP) after a name', bytes('session\xa0={V}; session={A}'), { user: 'victim' }],
  [
    'the byte 85 (Latin-1 NEL) around a name and a value',
    bytes('\x85session\x85=\x85{V}\x85; session={A}'),
    { user: 'victim' },
  ],
  ['a UTF-8 letter in a name', bytes('s\xc3\xa9ssion={A}; session={V}'), { user: 'victim' }],
  ['U+00A0 in UTF-8 inside quotes', bytes('session="\xc2\xa0{V}"; session={A}'), {}],
];

describeWithProgram(
  'the same Cookie bytes open the same session in real Flask and in Nest',
  flaskInstalled,
  'python3 with Flask 3.1 (pip install flask)',
  () => {
    let flask: PythonServer;
    let flaskPort: number;
    beforeAll(async () => {
      flask = await startPythonServer(PYTHON, FLASK_APP, [SECRET_KEY]);
      flaskPort = Number(new URL(flask.base).port);
    }, 30000);
    afterAll(async () => {
      if (flask) await stopPythonServer(flask);
    });

    it.each(CASES)('Flask: %s', async (_label, header, expected) => {
      const response = await rawGet('127.0.0.1', flaskPort, '/session', header);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual(expected);
    });

    describe.each(PLATFORMS)('Nest on %s', (platform) => {
      let app: INestApplication;
      let port: number;
      beforeAll(async () => {
        app = await createApp({ SECRET_KEY }, { controllers: [SessionReaderController] }, undefined, platform);
        await app.listen(0, '127.0.0.1');
        port = (app.getHttpServer().address() as AddressInfo).port;
      });
      afterAll(async () => {
        await app.close();
      });

      it.each(CASES)('%s: the session Flask opens', async (_label, header) => {
        const [ours, theirs] = await Promise.all([
          rawGet('127.0.0.1', port, '/session', header),
          rawGet('127.0.0.1', flaskPort, '/session', header),
        ]);
        expect(ours.status).toBe(200);
        expect(theirs.status).toBe(200);
        expect(JSON.parse(ours.body)).toEqual(JSON.parse(theirs.body));
      });
    });
  },
);
