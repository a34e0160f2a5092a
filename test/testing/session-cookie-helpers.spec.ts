/** Every result README's "Testing your app" lists for `createSessionCookie`/`readSessionCookie`. */
import { jest } from '@jest/globals';
import { BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from 'nest-flask-session/itsdangerous';
import { SecureCookieSessionInterface, createSessionConfig } from 'nest-flask-session';
import { createSessionCookie, readSessionCookie } from 'nest-flask-session/testing';

const SECRET_KEY = 'test key';
const valueOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);
const setCookie = (value: string) => `session=${value}; HttpOnly; Path=/`;

afterEach(() => jest.restoreAllMocks());

it('reads the data a response sets, from the last Set-Cookie naming the session cookie', () => {
  const first = valueOf(createSessionCookie({ n: 1 }, { SECRET_KEY }));
  const second = valueOf(createSessionCookie({ n: 2, tags: ['a'] }, { SECRET_KEY }));
  expect(readSessionCookie(setCookie(first), { SECRET_KEY })).toEqual({ n: 1 });
  expect(readSessionCookie([setCookie(first), 'other=x', setCookie(second)], { SECRET_KEY })).toEqual({
    n: 2,
    tags: ['a'],
  });
});

it('honours the cookie name and the fallback keys of the config', () => {
  const cookie = createSessionCookie({ n: 1 }, { SECRET_KEY: 'old', SESSION_COOKIE_NAME: 'sid' });
  expect(cookie).toMatch(/^sid=/);
  expect(
    readSessionCookie([`${cookie}; Path=/`], {
      SECRET_KEY: 'new',
      SECRET_KEY_FALLBACKS: ['old'],
      SESSION_COOKIE_NAME: 'sid',
    }),
  ).toEqual({ n: 1 });
  expect(readSessionCookie([`${cookie}; Path=/`], { SECRET_KEY })).toBeNull();
});

it('gives {} when the response deletes the session cookie', () => {
  expect(
    readSessionCookie('session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/', { SECRET_KEY }),
  ).toEqual({});
});

it('gives null when the response leaves the session cookie alone', () => {
  expect(readSessionCookie(undefined, { SECRET_KEY })).toBeNull();
  expect(readSessionCookie([], { SECRET_KEY })).toBeNull();
  expect(readSessionCookie(['other=1; Path=/', 'sessionx=1'], { SECRET_KEY })).toBeNull();
});

it('throws BadTimeSignature for a cookie signed with another key, or tampered with', () => {
  const value = valueOf(createSessionCookie({ n: 1 }, { SECRET_KEY }));
  expect(() => readSessionCookie(setCookie(value), { SECRET_KEY: 'wrong key' })).toThrow(BadTimeSignature);
  const tampered = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
  expect(() => readSessionCookie(setCookie(tampered), { SECRET_KEY })).toThrow(BadTimeSignature);
  expect(() => readSessionCookie(setCookie('not-signed'), { SECRET_KEY })).toThrow(BadSignature);
});

it('throws SignatureExpired for a cookie older than PERMANENT_SESSION_LIFETIME', () => {
  const value = valueOf(createSessionCookie({ n: 1 }, { SECRET_KEY }));
  jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
  expect(() => readSessionCookie(setCookie(value), { SECRET_KEY, PERMANENT_SESSION_LIFETIME: 60 })).toThrow(
    SignatureExpired,
  );
  expect(readSessionCookie(setCookie(value), { SECRET_KEY, PERMANENT_SESSION_LIFETIME: 120 })).toEqual({ n: 1 });
});

it('throws BadPayload for a validly signed payload that does not decode', () => {
  const cookies = new SecureCookieSessionInterface().getSigningSerializer(createSessionConfig({ SECRET_KEY }))!;
  const value = cookies.makeSigner().sign('bm90IEpTT04'); // base64 of "not JSON"
  expect(() => readSessionCookie(setCookie(value), { SECRET_KEY })).toThrow(BadPayload);
});

it('both helpers need a SECRET_KEY', () => {
  expect(() => createSessionCookie({}, {})).toThrow('A SECRET_KEY is needed');
  expect(() => readSessionCookie(undefined, {})).toThrow('A SECRET_KEY is needed');
});
