/**
 * Flask-WTF 1.3's CSRF tokens (csrf.py), checked against Flask-WTF itself: tokens generated here
 * pass its `validate_csrf` and the reverse, its refusals and ours give the same reason for the
 * same bad token, and `sameOrigin` reads URLs as its `same_origin` does.
 */
import {
  CSRF_REASONS,
  CsrfError,
  generateCsrfToken,
  sameOrigin,
  validateCsrfToken,
  type CsrfTokenOptions,
} from '../../lib/csrf/index.js';
import { URLSafeTimedSerializer } from '../../lib/itsdangerous/index.js';
import { SecureCookieSession } from '../../lib/sessions/index.js';
import { describeWithProgram } from '../support/external-program.js';
import { FLASK_LOGIN_WTF_HINT, flaskLoginWtfInstalled, runPipPython } from '../support/python.js';

const KEY = 'csrf test key';
const options: CsrfTokenOptions = { secretKey: KEY, fieldName: 'csrf_token', timeLimit: 3600 };

/** Flask-WTF's verdict on each token, against a session holding `raw` (or none): null when valid, else its message. */
function flaskVerdicts(
  raw: string | null,
  tokens: Array<string | null>,
  extra: Record<string, unknown> = {},
): Array<string | null> {
  return runPipPython<Array<string | null>>(
    `
from flask import Flask, session
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError
app = Flask("csrf")
app.config.update(SECRET_KEY=data["key"], **data["extra"])
result = []
for token in data["tokens"]:
    with app.test_request_context():
        if data["raw"] is not None: session[app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")] = data["raw"]
        try:
            validate_csrf(token)
            result.append(None)
        except ValidationError as error:
            result.append(error.args[0])
`,
    { key: KEY, raw, tokens, extra },
  );
}

function ourVerdict(
  session: SecureCookieSession,
  token: string | null,
  overrides: Partial<CsrfTokenOptions> = {},
): string | null {
  try {
    validateCsrfToken(session, token, { ...options, ...overrides });
    return null;
  } catch (error) {
    if (!(error instanceof CsrfError)) throw error;
    return error.message;
  }
}

describeWithProgram('Flask-WTF CSRF tokens', flaskLoginWtfInstalled, FLASK_LOGIN_WTF_HINT, () => {
  it('a token generated here passes validate_csrf, and one from generate_csrf passes here', () => {
    const session = new SecureCookieSession();
    const token = generateCsrfToken(session, options);
    const raw = session.get('csrf_token') as string;
    expect(raw).toMatch(/^[0-9a-f]{40}$/);
    expect(flaskVerdicts(raw, [token])).toEqual([null]);
    // The session's raw value is kept: a second token signs the same value.
    expect(new URLSafeTimedSerializer(KEY, { salt: 'wtf-csrf-token' }).loads(generateCsrfToken(session, options))).toBe(
      raw,
    );

    const fromFlask = runPipPython<{ raw: string; token: string }>(
      `
from flask import Flask, session
from flask_wtf.csrf import generate_csrf
app = Flask("csrf")
app.config.update(SECRET_KEY=data)
with app.test_request_context():
    token = generate_csrf()
    result = {"raw": session["csrf_token"], "token": token}
`,
      KEY,
    );
    expect(ourVerdict(new SecureCookieSession({ csrf_token: fromFlask.raw }), fromFlask.token)).toBeNull();
  });

  it('refuses bad tokens with the reason Flask-WTF gives, in its order of checks', () => {
    const session = new SecureCookieSession();
    const good = generateCsrfToken(session, options);
    const raw = session.get('csrf_token') as string;
    const now = Math.floor(Date.now() / 1000);
    const at = (seconds: number, value: unknown = raw, key = KEY) =>
      new URLSafeTimedSerializer(key, { salt: 'wtf-csrf-token', now: () => seconds }).dumps(value);
    const tokens: Array<string | null> = [
      null,
      '',
      at(now - 3601),
      at(now + 120),
      `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
      // A tampered old token is invalid, not expired: the signature is checked first.
      `${at(now - 7200).slice(0, -1)}${at(now - 7200).endsWith('A') ? 'B' : 'A'}`,
      at(now, raw, 'another key'),
      at(now, 'f'.repeat(40)),
      'not a token',
      good.split('.').slice(0, 2).join('.'),
      new URLSafeTimedSerializer(KEY, { salt: 'another salt' }).dumps(raw),
    ];
    const expected = flaskVerdicts(raw, tokens);
    expect(expected).toContain(CSRF_REASONS.expired);
    expect(expected).toContain(CSRF_REASONS.invalid);
    expect(expected).toContain(CSRF_REASONS.mismatch);
    expect(tokens.map((token) => ourVerdict(session, token))).toEqual(expected);
    // Without a raw token in the session.
    expect(ourVerdict(new SecureCookieSession(), good)).toBe(flaskVerdicts(null, [good])[0]);
    expect(ourVerdict(new SecureCookieSession(), good)).toBe(CSRF_REASONS.sessionMissing);
  });

  it('honours WTF_CSRF_SECRET_KEY, WTF_CSRF_FIELD_NAME and a null WTF_CSRF_TIME_LIMIT as Flask-WTF does', () => {
    const settings = { secretKey: 'csrf only key', fieldName: 'xsrf', timeLimit: null };
    const session = new SecureCookieSession();
    const token = generateCsrfToken(session, settings);
    expect(session.has('xsrf')).toBe(true);
    const old = new URLSafeTimedSerializer('csrf only key', { salt: 'wtf-csrf-token', now: () => 1_000_000 }).dumps(
      session.get('xsrf'),
    );
    const extra = { WTF_CSRF_SECRET_KEY: 'csrf only key', WTF_CSRF_FIELD_NAME: 'xsrf', WTF_CSRF_TIME_LIMIT: null };
    expect(flaskVerdicts(session.get('xsrf') as string, [token, old], extra)).toEqual([null, null]);
    expect(ourVerdict(session, old, settings)).toBeNull();
    expect(ourVerdict(session, token)).toBe(CSRF_REASONS.sessionMissing);
  });

  it('compares origins as same_origin does', () => {
    const pairs: Array<[string, string]> = [
      ['https://example.com/form', 'https://example.com/'],
      ['https://Example.COM/form', 'https://example.com/'],
      ['http://example.com/form', 'https://example.com/'],
      ['https://example.com:443/form', 'https://example.com/'],
      ['https://example.com:8443/', 'https://example.com:8443/'],
      ['https://user:pw@example.com/', 'https://example.com/'],
      ['https://evil.com/?https://example.com/', 'https://example.com/'],
      ['https://[::1]:8443/x', 'https://[::1]:8443/'],
      ['//example.com/x', 'https://example.com/'],
      ['/relative', 'https://example.com/'],
      ['https://example.com:/', 'https://example.com/'],
    ];
    const expected = runPipPython<boolean[]>(
      `
from flask_wtf.csrf import same_origin
result = [same_origin(a, b) for a, b in data]
`,
      pairs,
    );
    expect(pairs.map(([a, b]) => sameOrigin(a, b))).toEqual(expected);
  });
});
