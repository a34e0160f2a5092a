/** The sample app switched to Redis sessions by SESSION_REDIS_URL: same pages, data in Redis. */
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionInterface, SessionInterface } from 'nest-flask-session';
import { createSampleApp } from '../../sample/src/app.factory.js';
import { sessionCookieValue } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

describeWithProgram('the sample app on Redis sessions', redisInstalled, 'apt-get install -y redis-server', () => {
  let server: RedisServer;
  let app: INestApplication;
  let redis: Redis;

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.url);
    app = await createSampleApp({
      session: { SECRET_KEY: 'sample redis key', SESSION_REDIS_URL: server.url },
      envFile: false,
      logger: false,
    });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await (app.get(SessionInterface) as RedisSessionInterface).close();
    redis.disconnect();
    await server.stop();
  });

  it('uses RedisSessionInterface, keeps only an id in the cookie, and the login holds', async () => {
    expect(app.get(SessionInterface)).toBeInstanceOf(RedisSessionInterface);
    const agent = request.agent(app.getHttpServer());
    const csrf_token = /name="csrf_token" value="([^"]+)"/.exec((await agent.get('/login')).text)![1]!;
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: 'alice', password: 'wonderland', remember: 'on', csrf_token });
    expect([302, 303]).toContain(login.status);
    const id = sessionCookieValue(login.headers)!.split('.')[0]!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = JSON.parse((await redis.get(`session:${id}`))!) as Record<string, unknown>;
    expect(stored).toMatchObject({ user_id: 'alice', _user_id: 'alice', _fresh: true });
    expect(sessionCookieValue(login.headers, 'remember_token')).toMatch(/^alice\|[0-9a-f]{128}$/);
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('alice');

    // Logging out deletes the session from Redis and the remember-me cookie.
    const logout = await agent.post('/logout').type('form').send({ csrf_token });
    expect(logout.status).toBe(303);
    expect(await redis.exists(`session:${id}`)).toBe(0);
    expect(logout.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^remember_token=; Expires=Thu, 01 Jan 1970/)]),
    );
    expect((await agent.get('/')).text).toContain('You are not logged in.');
  });
});
