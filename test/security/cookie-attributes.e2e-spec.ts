/** Security review item 5: cookie attributes cannot smuggle in other attributes; prefixes in any case. */
import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import {
  createSessionConfig,
  SecureCookieSession,
  SecureCookieSessionInterface,
  Session,
  SessionConfigError,
  type SessionConfig,
  type SessionRequest,
} from 'nest-flask-session';
import { resolveSessionConfig } from '../../lib/config/index.js';
import { serializeSetCookie } from '../../lib/cookie/index.js';
import { createApp, setCookies } from '../support/create-app.js';
import { fakeExchange } from '../support/fake-http.js';

const SECRET_KEY = 'cookie attribute tests, a key of 40 bytes';

@Controller()
class WriteController {
  @Get('/write')
  write(@Session() session: SecureCookieSession) {
    session.set('a', 1);
    return 'ok';
  }
}

describe('cookie domain and path are validated at start-up', () => {
  it.each([
    [{ SESSION_COOKIE_DOMAIN: 'evil.com; SameSite=None; Secure' }, 'SESSION_COOKIE_DOMAIN must be a host name'],
    [{ SESSION_COOKIE_DOMAIN: 'example.com,evil.com' }, 'SESSION_COOKIE_DOMAIN must be a host name'],
    [{ SESSION_COOKIE_DOMAIN: 'exa mple.com' }, 'SESSION_COOKIE_DOMAIN must be a host name'],
    [{ SESSION_COOKIE_DOMAIN: 'example.com\r\nX-Evil: 1' }, 'SESSION_COOKIE_DOMAIN must be a host name'],
    // A URL, a path or a port where a host name belongs (`http://example.com` once became `Domain=http`).
    [
      { SESSION_COOKIE_DOMAIN: 'http://example.com' },
      "SESSION_COOKIE_DOMAIN must be a host name such as 'example.com', not a URL",
    ],
    [
      { SESSION_COOKIE_DOMAIN: 'https://example.com/' },
      "SESSION_COOKIE_DOMAIN must be a host name such as 'example.com', not a URL",
    ],
    [
      { SESSION_COOKIE_DOMAIN: 'HTTPS://example.com:443' },
      'not a URL (no scheme, no path), got "HTTPS://example.com:443"',
    ],
    [{ SESSION_COOKIE_DOMAIN: 'example.com/app' }, 'not a URL (no scheme, no path)'],
    [{ SESSION_COOKIE_DOMAIN: 'example.com:8080/app' }, 'not a URL (no scheme, no path)'],
    [{ SESSION_COOKIE_DOMAIN: '//example.com' }, 'not a URL (no scheme, no path)'],
    [{ SESSION_COOKIE_DOMAIN: 'example.com:8080' }, 'SESSION_COOKIE_DOMAIN must be a host name without a port'],
    [
      { SESSION_COOKIE_DOMAIN: 'localhost:3000' },
      'without a port (a cookie is sent to every port of its host), got "localhost:3000"',
    ],
    [{ SESSION_COOKIE_DOMAIN: 'example.com:' }, 'SESSION_COOKIE_DOMAIN must be a host name without a port'],
    [{ SESSION_COOKIE_PATH: 'app' }, "SESSION_COOKIE_PATH must start with '/'"],
    [{ APPLICATION_ROOT: 'app;Domain=evil.com' }, "APPLICATION_ROOT must start with '/'"],
  ])('%j is refused', (options, message) => {
    expect(() => resolveSessionConfig({ SECRET_KEY, ...options })).toThrow(SessionConfigError);
    expect(() => resolveSessionConfig({ SECRET_KEY, ...options })).toThrow(message);
  });

  it.each([
    { SESSION_COOKIE_DOMAIN: '.example.com' },
    { SESSION_COOKIE_DOMAIN: 'bücher.example' },
    { SESSION_COOKIE_DOMAIN: 'localhost' },
    { SESSION_COOKIE_DOMAIN: '127.0.0.1' },
    { SESSION_COOKIE_PATH: '/app/' },
    { SESSION_COOKIE_PATH: '' },
    { APPLICATION_ROOT: '/root' },
  ])('%j is accepted', (options) => {
    expect(() => resolveSessionConfig({ SECRET_KEY, ...options })).not.toThrow();
  });
});

describe('cookie name prefixes are matched case-insensitively, as browsers do', () => {
  it.each([
    [{ SESSION_COOKIE_NAME: '__host-sid' }, '__host-, which needs SESSION_COOKIE_SECURE=true'],
    [
      { SESSION_COOKIE_NAME: '__HOST-sid', SESSION_COOKIE_SECURE: true, SESSION_COOKIE_DOMAIN: 'example.com' },
      'forbids SESSION_COOKIE_DOMAIN',
    ],
    [
      { SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, SESSION_COOKIE_PATH: '/app' },
      "needs the cookie path '/'",
    ],
    [{ SESSION_COOKIE_NAME: '__secure-sid' }, '__secure-, which needs SESSION_COOKIE_SECURE=true'],
    [{ SESSION_COOKIE_NAME: '__SECURE-sid' }, '__SECURE-, which needs SESSION_COOKIE_SECURE=true'],
  ])('%j is refused', (options, message) => {
    expect(() => resolveSessionConfig({ SECRET_KEY, ...options })).toThrow(message);
  });

  it('__host- with Secure, no domain and path / is accepted', () => {
    expect(() =>
      resolveSessionConfig({ SECRET_KEY, SESSION_COOKIE_NAME: '__host-sid', SESSION_COOKIE_SECURE: true }),
    ).not.toThrow();
  });
});

describe('attributes computed per request are checked when the header is written', () => {
  it('serializeSetCookie refuses a domain or path that would add attributes', () => {
    expect(() => serializeSetCookie('s', 'v', { domain: 'evil.com; SameSite=None; Secure' })).toThrow(
      'Cookie domain must be a host name',
    );
    expect(() => serializeSetCookie('s', 'v', { domain: 'http://example.com' })).toThrow(
      "Cookie domain must be a host name such as 'example.com', not a URL",
    );
    expect(serializeSetCookie('s', 'v', { domain: 'example.com:8080' })).toBe('s=v; Domain=example.com');
    expect(() => serializeSetCookie('s', 'v', { path: 'relative' })).toThrow("Cookie path must start with '/'");
    // A path is percent-encoded, so `;` inside it never ends the attribute.
    expect(serializeSetCookie('s', 'v', { path: '/a; Domain=evil.com' })).toBe('s=v; Path=/a%3B%20Domain=evil.com');
  });

  class HostDomainInterface extends SecureCookieSessionInterface {
    override getCookieDomain(_config: SessionConfig, request?: SessionRequest): string | null {
      return (request?.raw as { headers: Record<string, string> }).headers['x-forwarded-host'] ?? null;
    }
  }

  it('a getter that derives the domain from a header cannot inject attributes: the response fails, no header goes out', async () => {
    const app = await createApp(
      { SECRET_KEY, sessionInterface: new HostDomainInterface() },
      { controllers: [WriteController] },
    );
    const ok = await request(app.getHttpServer()).get('/write').set('X-Forwarded-Host', 'example.com');
    expect(setCookies(ok.headers)[0]).toContain('; Domain=example.com;');
    // A port in a domain computed per request is dropped, as Werkzeug does (a Host header has one).
    const withPort = await request(app.getHttpServer()).get('/write').set('X-Forwarded-Host', 'example.com:8080');
    expect(setCookies(withPort.headers)[0]).toContain('; Domain=example.com;');
    // A URL never makes `Domain=http`: the response fails and no header goes out.
    const url = await request(app.getHttpServer()).get('/write').set('X-Forwarded-Host', 'http://example.com');
    expect(url.status).toBe(500);
    expect(setCookies(url.headers)).toEqual([]);
    const attack = await request(app.getHttpServer())
      .get('/write')
      .set('X-Forwarded-Host', 'evil.com; SameSite=None; Secure');
    expect(attack.status).toBe(500);
    expect(setCookies(attack.headers)).toEqual([]);
    await app.close();
  });

  it('a getter that returns a lower-case __host- name without Secure fails the save', () => {
    class LowerHost extends SecureCookieSessionInterface {
      override getCookieName(): string {
        return '__host-session';
      }
    }
    const session = new SecureCookieSession({ a: 1 });
    session.modified = true;
    const exchange = fakeExchange();
    expect(() => new LowerHost().saveSession(createSessionConfig({ SECRET_KEY }), session, exchange.response)).toThrow(
      "The session cookie '__host-session' starts with __host-, which needs SESSION_COOKIE_SECURE=true",
    );
    expect(exchange.setCookies()).toEqual([]);
  });
});
