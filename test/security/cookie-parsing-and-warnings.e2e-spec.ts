/** Security review items 6 (cookie parsing as Werkzeug does) and 7 (warnings quote no session data). */
import { jest } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { createSessionCookie } from '../../lib/testing/index.js';
import {
  createSessionConfig,
  RedisSessionInterface,
  SecureCookieSessionInterface,
  Session,
  type SecureCookieSession,
} from 'nest-flask-session';
import { Signer, URLSafeTimedSerializer } from 'nest-flask-session/itsdangerous';
import { createApp } from '../support/create-app.js';
import { fakeExchange } from '../support/fake-http.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { MemoryRedis } from '../support/memory-redis.js';

const SECRET_KEY = 'parsing and warnings tests, 40 bytes key';

@Controller()
class WhoAmIController {
  @Get('/me')
  me(@Session() session: SecureCookieSession) {
    return { user: session.get('user') ?? null };
  }
}

describe('the Cookie header is read as Werkzeug reads it', () => {
  const cookieValue = (user: string) => createSessionCookie({ user }, { SECRET_KEY }).slice('session='.length);

  it("a session cookie inside another cookie's quoted value is not the session", async () => {
    const app = await createApp({ SECRET_KEY }, { controllers: [WhoAmIController] });
    const header = `x="a; session=${cookieValue('evil')}; y="; session=${cookieValue('good')}`;
    const res = await request(app.getHttpServer()).get('/me').set('Cookie', header);
    expect(res.body).toEqual({ user: 'good' });
    await app.close();
  });

  it('a quoted session cookie opens, as in Flask', async () => {
    const app = await createApp({ SECRET_KEY }, { controllers: [WhoAmIController] });
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Cookie', `session="${cookieValue('quoted')}"`);
    expect(res.body).toEqual({ user: 'quoted' });
    await app.close();
  });
});

describe('warnings about undecodable sessions never quote the session', () => {
  const SECRET = 'TOPSECRET-7f3a9c';
  // Correctly signed (only a key holder can make these), but not decodable, each quoting the secret somewhere.
  const payloads = [
    `{"token":{" u":"${SECRET}"}}`,
    `{"token":"${SECRET}",}`,
    `{"token":{" di":"${SECRET}"}}`,
    `{"token":{" m":["${SECRET}"]}}`,
    `{"token":{" t":"${SECRET}"}}`,
    `["${SECRET}"]`,
  ];

  it.each(payloads)('cookie interface: %s', (payload) => {
    const iface = new SecureCookieSessionInterface();
    const warn = jest.fn<(message: string) => void>();
    iface.logger = { warn, error: jest.fn() };
    const signer = new URLSafeTimedSerializer(SECRET_KEY, {
      salt: 'cookie-session',
      keyDerivation: 'hmac',
      serializer: passThroughSerializer,
    });
    const session = iface.openSession(
      createSessionConfig({ SECRET_KEY }),
      fakeExchange(`session=${signer.dumps(payload)}`).request,
    )!;
    expect(session.size).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('cannot be decoded (');
    expect(warn.mock.calls[0]![0]).not.toContain(SECRET);
    expect(warn.mock.calls[0]![0]).not.toContain(SECRET.slice(0, 6));
  });

  it.each(payloads)('Redis interface: %s', async (payload) => {
    const client = new MemoryRedis();
    const iface = new RedisSessionInterface({ client });
    const warn = jest.fn<(message: string) => void>();
    iface.logger = { warn, error: jest.fn() };
    const config = createSessionConfig({ SECRET_KEY });
    // Store the value under a real id, then open it with that id's cookie.
    const created = iface.newId();
    await client.set(`session:${created}`, payload, 'EX', 60);
    const cookie = new Signer(SECRET_KEY, { salt: iface.salt, keyDerivation: 'hmac', digestMethod: 'sha256' }).sign(
      created,
    );
    const session = await iface.openSession(config, fakeExchange(`session=${cookie}`).request);
    expect(session!.size).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).not.toContain(SECRET.slice(0, 6));
    // The id is a bearer secret too: not even a prefix of it is logged.
    expect(warn.mock.calls[0]![0]).not.toContain(created.slice(0, 6));
  });
});
