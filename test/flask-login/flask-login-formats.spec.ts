/**
 * Flask-Login 0.6.3's formats, checked against Flask-Login itself (utils.py): the session
 * identifier `_id` (`_create_identifier`), the remember-me cookie (`encode_cookie`/`decode_cookie`)
 * and the login redirect (`login_url`, `make_next_param`).
 */
import {
  createSessionIdentifier,
  decodeRememberCookie,
  encodeRememberCookie,
  loginUrl,
  makeNextParam,
  type IdentifierSource,
} from '../../lib/flask-login/index.js';
import { describeWithProgram } from '../support/external-program.js';
import { FLASK_LOGIN_WTF_HINT, flaskLoginWtfInstalled, runPipPython } from '../support/python.js';

const KEY = 'a remember-me test key, Zürich';

describeWithProgram('Flask-Login formats', flaskLoginWtfInstalled, FLASK_LOGIN_WTF_HINT, () => {
  it('computes the session identifier as _create_identifier does, for every header shape', () => {
    const sources: IdentifierSource[] = [
      { remoteAddress: '127.0.0.1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      { remoteAddress: '127.0.0.1' },
      { userAgent: 'curl/8' },
      {},
      { forwardedFor: '203.0.113.7, 10.0.0.1', remoteAddress: '10.0.0.2', userAgent: 'x' },
      { forwardedFor: '  198.51.100.1  ', remoteAddress: '10.0.0.2', userAgent: "it's" },
      { forwardedFor: '', remoteAddress: '10.0.0.2', userAgent: '' },
      { remoteAddress: '::1', userAgent: 'quote " and \' both, back\\slash\ttab' },
      // Header bytes arrive as Latin-1 text on Node and in WSGI alike.
      { remoteAddress: '127.0.0.1', userAgent: 'caf\u00e9 \u00ff\u0001\u007f' },
    ];
    const expected = runPipPython<string[]>(
      `
from flask import Flask
from flask_login.utils import _create_identifier
app = Flask("ids")
result = []
for source in data:
    headers = {}
    if "userAgent" in source: headers["User-Agent"] = source["userAgent"]
    if "forwardedFor" in source: headers["X-Forwarded-For"] = source["forwardedFor"]
    environ = {"REMOTE_ADDR": source["remoteAddress"]} if "remoteAddress" in source else {}
    with app.test_request_context(headers=headers, environ_base=environ):
        from flask import request
        if "remoteAddress" not in source: request.environ.pop("REMOTE_ADDR", None)
        result.append(_create_identifier())
`,
      sources,
    );
    expect(sources.map((source) => createSessionIdentifier(source))).toEqual(expected);
  });

  it('writes remember-me cookies Flask-Login reads and reads the ones it writes', () => {
    const ids = ['alice', '42', 'a|b', 'Zoë ☃', ''];
    const python = runPipPython<{ encoded: string[]; decoded: Array<string | null> }>(
      `
from flask_login.utils import encode_cookie, decode_cookie
key = data["key"].encode("latin1")
result = {
    "encoded": [encode_cookie(user_id, key=key) for user_id in data["ids"]],
    "decoded": [decode_cookie(cookie, key=key) for cookie in data["ours"]],
}
`,
      { key: KEY, ids, ours: ids.map((id) => encodeRememberCookie(id, KEY)) },
    );
    expect(python.decoded).toEqual(ids);
    expect(ids.map((id) => encodeRememberCookie(id, KEY))).toEqual(python.encoded);
    expect(python.encoded.map((cookie) => decodeRememberCookie(cookie, KEY))).toEqual(ids);
    expect(encodeRememberCookie('alice', Buffer.from(KEY, 'latin1'))).toBe(python.encoded[0]);
  });

  it('refuses tampered, truncated and foreign remember-me cookies', () => {
    const good = encodeRememberCookie('alice', KEY);
    expect(decodeRememberCookie(good.replace('alice', 'bob'), KEY)).toBeNull();
    expect(decodeRememberCookie(good.slice(0, -1), KEY)).toBeNull();
    expect(decodeRememberCookie(`${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`, KEY)).toBeNull();
    expect(decodeRememberCookie('alice', KEY)).toBeNull();
    expect(decodeRememberCookie(encodeRememberCookie('alice', 'another key'), KEY)).toBeNull();
    expect(decodeRememberCookie(`${good}é`, KEY)).toBeNull();
  });

  it('builds the login redirect as login_url and make_next_param do', () => {
    const cases: Array<[string, string, string | null]> = [
      ['/login', 'http://127.0.0.1:5000/account?tab=1&x=a b', null],
      ['/login?lang=fr&empty=&flag', 'http://127.0.0.1:5000/a/b/', null],
      ['/login?next=/old', 'http://127.0.0.1:5000/na%C3%AFve?q=%2F', null],
      ['https://auth.example.com/login', 'http://app.example.com/orders?id=7', null],
      ['http://app.example.com/login', 'http://app.example.com/orders?id=7', null],
      ['/login', 'http://evil.example.com:8000/x?y=z&w=ü', 'app.example.com'],
      ['/login', "http://h/p!*'();:@&=+$,/?#[]", null],
    ];
    const expected = runPipPython<Array<[string, string]>>(
      `
from flask import Flask
from flask_login.utils import login_url, make_next_param
app = Flask("urls")
result = []
for view, current, force in data:
    app.config["FORCE_HOST_FOR_REDIRECTS"] = force
    with app.test_request_context():
        result.append([login_url(view, next_url=current), make_next_param(view, current)])
`,
      cases,
    );
    expect(
      cases.map(([view, current, force]) => [
        loginUrl(view, current, { forceHost: force }),
        makeNextParam(view, current),
      ]),
    ).toEqual(expected);
    expect(loginUrl('/login')).toBe('/login');
  });
});
