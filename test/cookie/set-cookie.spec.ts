/**
 * Set-Cookie headers exactly as Werkzeug writes them (werkzeug/http.py dump_cookie): attribute
 * order, quoting, Expires and Max-Age, deletion.
 */
import { serializeDeleteCookie, serializeSetCookie } from '../../lib/cookie/index.js';

describe('serializeSetCookie (werkzeug/http.py dump_cookie)', () => {
  const value = 'eyJ0ZXN0aW5nIjo0Mn0.ZVPxAA.-WtagSpGXQZzpgvpU8WbolHrlDs';

  it('default session cookie', () => {
    expect(serializeSetCookie('session', value, { httpOnly: true, path: '/' })).toBe(
      `session=${value}; HttpOnly; Path=/`,
    );
  });

  it('full settings, in Werkzeug attribute order (as Werkzeug writes them)', () => {
    const options = {
      domain: '.example.com',
      httpOnly: false,
      secure: true,
      partitioned: true,
      sameSite: 'Lax',
      path: '/',
    };
    expect(serializeSetCookie('session', value, options)).toBe(
      `session=${value}; Domain=example.com; Secure; Path=/; SameSite=Lax; Partitioned`,
    );
    expect(serializeDeleteCookie('session', options)).toBe(
      'session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/; SameSite=Lax; Partitioned',
    );
  });

  it('default delete cookie', () => {
    expect(serializeDeleteCookie('session', { httpOnly: true, path: '/' })).toBe(
      'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/',
    );
  });

  it("Expires for a permanent session (as Flask's http_date writes it)", () => {
    const expires = new Date((1700000000 + 31 * 86400) * 1000 + 678);
    expect(
      serializeSetCookie('session', 'v', { expires, secure: true, httpOnly: true, path: '/', sameSite: 'lax' }),
    ).toBe('session=v; Expires=Fri, 15 Dec 2023 22:13:20 GMT; Secure; HttpOnly; Path=/; SameSite=Lax');
  });

  it('domain: port and leading dots stripped, IDNA encoded', () => {
    expect(serializeSetCookie('s', 'v', { domain: '..Example.com:8080' })).toBe('s=v; Domain=example.com');
    expect(serializeSetCookie('s', 'v', { domain: 'bücher.example' })).toBe('s=v; Domain=xn--bcher-kva.example');
    expect(serializeSetCookie('s', 'v', { domain: 'localhost' })).toBe('s=v; Domain=localhost');
    expect(serializeSetCookie('s', 'v', { domain: '' })).toBe('s=v; Domain=');
  });

  it('path is quoted like urllib.parse.quote', () => {
    expect(serializeSetCookie('s', 'v', { path: '/a b;c/é' })).toBe('s=v; Path=/a%20b%3Bc/%C3%A9');
    expect(serializeSetCookie('s', 'v', { path: "/%!$&'()*+,:=@~" })).toBe("s=v; Path=/%!$&'()*+,:=@~");
  });

  it('SameSite is title-cased and validated', () => {
    expect(serializeSetCookie('s', 'v', { sameSite: 'STRICT' })).toBe('s=v; SameSite=Strict');
    expect(serializeSetCookie('s', 'v', { sameSite: 'none', secure: true })).toBe('s=v; Secure; SameSite=None');
    expect(() => serializeSetCookie('s', 'v', { sameSite: 'invalid' })).toThrow(
      "SameSite must be 'Strict', 'Lax', or 'None'",
    );
  });

  it('Partitioned forces Secure', () => {
    expect(serializeSetCookie('s', 'v', { partitioned: true })).toBe('s=v; Secure; Partitioned');
  });

  it('rejects names and values that are not RFC 6265 tokens', () => {
    expect(() => serializeSetCookie('bad name', 'v')).toThrow(TypeError);
    expect(() => serializeSetCookie('s', 'a;b')).toThrow(TypeError);
  });
});
