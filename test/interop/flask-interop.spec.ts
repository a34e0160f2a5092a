/**
 * Both directions against Debian's Flask (/usr/bin/python3, Flask 2.2): cookies our interfaces
 * mint open in Flask with the same tagged data, and cookies Flask mints open here, through
 * test/interop/flask_peer.py, one Python process per batch.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSessionConfig, type SessionConfig } from '../../lib/config/index.js';
import { SecureCookieSessionInterface } from '../../lib/sessions/index.js';
import { Markup, TaggedJSONSerializer, Tuple, UUID } from '../../lib/tagged-json/index.js';
import { SecureCookieSession, type SessionData } from '../../lib/sessions/index.js';
import { fakeExchange } from '../support/fake-http.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./flask_peer.py', import.meta.url));
const flaskInstalled = programWorks(PYTHON, ['-c', 'import flask']);

type PeerOp =
  | { op: 'mint'; secret_key: string; tagged: string; config?: Record<string, unknown> }
  | { op: 'open'; secret_key: string; cookie: string; fallbacks?: string[] | null };
type PeerResult = { cookie?: string | null; set_cookie?: string | null; tagged?: string; error?: string };

/** Runs one batch of operations through real Flask (one Python process per batch). */
function flask(ops: PeerOp[]): PeerResult[] {
  const run = spawnSync(PYTHON, [PEER], { input: JSON.stringify(ops), encoding: 'utf8', timeout: 60000 });
  if (run.status !== 0) throw new Error(`flask_peer.py failed (${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { results: PeerResult[] }).results;
}

const tagged = new TaggedJSONSerializer();

const SESSIONS: Record<string, SessionData> = {
  'rich types': {
    tup: Tuple.from([1, 'two', Tuple.from([3])]),
    raw: Buffer.from([0xff, 0x00, 0x68, 0x69]),
    when: new Date(Date.UTC(2024, 1, 29, 23, 59, 58)),
    html: new Markup('<b>bold</b> &amp; safe'),
    uid: new UUID('2a672626-3a3c-4602-83f5-c8e51d6e2495'),
    nested: { user: { id: 7, roles: ['admin', 'dev'], prefs: { langs: Tuple.from(['en', 'fr']) } }, empty: {} },
    text: 'Zürich ☃ 漢字 😀👍🏽 \u2028 \u007f',
    lookalikes: { ' t': 'not-a-tuple' },
    big: 9223372036854775813n,
    floats: [0.5, -2.75, 1e-5, 1.5e300],
    _flashes: [Tuple.from(['message', 'Saved!']), Tuple.from(['error', new Markup('<em>no</em>')])],
  },
  permanent: { _permanent: true, user_id: 42 },
  compressed: { cart: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${i}`, qty: i % 3 })), note: 'x'.repeat(200) },
  'unicode keys': { z: 1, é: 2, '\ue000': 3, '\uff5e': 4, '😀': 5, ' di': { ' t__': 'x' } },
};

function ourCookie(config: SessionConfig, data: SessionData): string {
  const session = new SecureCookieSession();
  session.update(data);
  const exchange = fakeExchange();
  new SecureCookieSessionInterface().saveSession(config, session, exchange.response);
  const [header] = exchange.setCookies();
  return header!.split(';', 1)[0]!.slice('session='.length);
}

function ourOpen(config: SessionConfig, cookie: string): string {
  const session = new SecureCookieSessionInterface().openSession(config, fakeExchange(`session=${cookie}`).request);
  return tagged.dumps(session!.toJSON());
}

describeWithProgram(
  'interop with real Flask (python3-flask)',
  flaskInstalled,
  'apt-get install -y python3-flask',
  () => {
    const key = 'interop secret key';
    const config = createSessionConfig({ SECRET_KEY: key });

    it.each(Object.keys(SESSIONS))('Flask opens a cookie we mint: %s', (name) => {
      const data = SESSIONS[name]!;
      const cookie = ourCookie(config, data);
      if (name === 'compressed' || name === 'rich types') expect(cookie.startsWith('.')).toBe(true);
      const [result] = flask([{ op: 'open', secret_key: key, cookie }]);
      expect(result).toEqual({ tagged: tagged.dumps(data) });
    });

    it.each(Object.keys(SESSIONS))('we open a cookie Flask mints: %s', (name) => {
      const text = tagged.dumps(SESSIONS[name]!);
      const [minted] = flask([{ op: 'mint', secret_key: key, tagged: text }]);
      expect(minted!.cookie).toBeTruthy();
      expect(ourOpen(config, minted!.cookie!)).toBe(text);
    });

    it('Flask and we write the same Set-Cookie header for a permanent session with SameSite/Secure', () => {
      const flaskConfig = { SESSION_COOKIE_SAMESITE: 'Lax', SESSION_COOKIE_SECURE: true };
      const ours = createSessionConfig({ SECRET_KEY: key, ...flaskConfig });
      const [minted] = flask([
        { op: 'mint', secret_key: key, tagged: tagged.dumps(SESSIONS.permanent), config: flaskConfig },
      ]);
      const attributes = (header: string) =>
        header
          .split('; ')
          .slice(1)
          .map((part) => part.split('=')[0]);
      const exchange = fakeExchange();
      const session = new SecureCookieSession();
      session.update(SESSIONS.permanent!);
      new SecureCookieSessionInterface().saveSession(ours, session, exchange.response);
      expect(attributes(exchange.setCookies()[0]!)).toEqual(attributes(minted!.set_cookie!));
    });

    it('rotated keys: Flask verifies our cookie signed with the new key and with a fallback-era key', () => {
      const rotated = createSessionConfig({ SECRET_KEY: 'new key', SECRET_KEY_FALLBACKS: ['old key'] });
      const signedNew = ourCookie(rotated, { a: 1 });
      const signedOld = ourCookie(createSessionConfig({ SECRET_KEY: 'old key' }), { a: 2 });
      const results = flask([
        { op: 'open', secret_key: 'new key', cookie: signedNew },
        { op: 'open', secret_key: 'new key', fallbacks: ['old key'], cookie: signedOld },
        { op: 'open', secret_key: 'new key', cookie: signedOld },
      ]);
      expect(results).toEqual([{ tagged: '{"a":1}' }, { tagged: '{"a":2}' }, { tagged: '{}' }]);
    });

    it('rotated keys: we open a cookie Flask signed with the key that is now a fallback', () => {
      const [minted] = flask([{ op: 'mint', secret_key: 'old key', tagged: '{"user":"rotated"}' }]);
      const rotated = createSessionConfig({ SECRET_KEY: 'new key', SECRET_KEY_FALLBACKS: ['old key'] });
      expect(ourOpen(rotated, minted!.cookie!)).toBe('{"user":"rotated"}');
      expect(ourOpen(createSessionConfig({ SECRET_KEY: 'new key' }), minted!.cookie!)).toBe('{}');
    });

    it('a cookie tampered on our side is an empty session in Flask too', () => {
      const cookie = ourCookie(config, { user_id: 1 });
      const tampered = `${cookie.slice(0, 5)}${cookie[5] === 'A' ? 'B' : 'A'}${cookie.slice(6)}`;
      expect(flask([{ op: 'open', secret_key: key, cookie: tampered }])).toEqual([{ tagged: '{}' }]);
    });
  },
);
