/**
 * Flask-Session's cookie holds the bare id and the entry lives at `SESSION_KEY_PREFIX + id`: with
 * an empty prefix the cookie would name any Redis key. The empty prefix is refused at start-up
 * (naming the key) and by openSession; a non-session key is never adopted as a session, and a
 * save never touches it. Real redis-server, Express.
 */
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  createSessionConfig,
  FlaskSessionRedisInterface,
  Session,
  SessionConfigError,
  SessionInterface,
  SessionModule,
  type RedisSession,
} from 'nest-flask-session';
import { MsgspecSerializer } from '../../lib/flask-session/index.js';
import { Signer } from 'nest-flask-session/itsdangerous';
import { createApp, createPlatformApp } from '../support/create-app.js';
import { describeWithProgram } from '../support/external-program.js';
import { fakeExchange } from '../support/fake-http.js';
import { redisInstalled, RedisServer } from '../support/redis-server.js';

const SECRET_KEY = 'flask-session prefix tests: a key of 48 random b.';

@Controller()
class PrefixController {
  @Get('/touch')
  touch(@Session() session: RedisSession) {
    const before = session.toJSON();
    session.set('visited', true);
    return { before, new: session.new };
  }
}

describeWithProgram(
  'Flask-Session key prefix (real redis-server)',
  redisInstalled,
  'apt-get install -y redis-server',
  () => {
    let server: RedisServer;
    let redis: Redis;
    const apps: INestApplication[] = [];
    /** What an app of the same database keeps under a key a client could name. */
    let appEntry: Buffer;

    beforeAll(async () => {
      server = await RedisServer.start();
      redis = new Redis(server.url);
      appEntry = (await MsgspecSerializer.create('msgpack')).encode({ user_id: 'admin', role: 'admin' });
      await redis.set('app-config', appEntry);
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      for (const app of apps) await (app.get(SessionInterface) as FlaskSessionRedisInterface).close();
      redis.disconnect();
      await server.stop();
    });

    const expectAppEntryUntouched = async () => {
      expect((await redis.getBuffer('app-config'))!.equals(appEntry)).toBe(true);
      expect(await redis.ttl('app-config')).toBe(-1);
    };

    it('an empty SESSION_KEY_PREFIX fails start-up, naming the key', async () => {
      const start = createApp({
        SECRET_KEY,
        SESSION_KEY_PREFIX: '',
        sessionInterface: new FlaskSessionRedisInterface({ url: server.url }),
      });
      await expect(start).rejects.toThrow(SessionConfigError);
      await expect(
        createApp({
          SECRET_KEY,
          SESSION_KEY_PREFIX: '',
          sessionInterface: new FlaskSessionRedisInterface({ url: server.url }),
        }),
      ).rejects.toThrow(/SESSION_KEY_PREFIX is empty/);
    });

    it('an empty SESSION_KEY_PREFIX from ConfigService (an empty environment value) fails start-up too', async () => {
      const env = { SECRET_KEY, SESSION_REDIS_URL: server.url, SESSION_KEY_PREFIX: '' };
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] }),
          SessionModule.forRoot({ sessionInterface: FlaskSessionRedisInterface }),
        ],
        controllers: [PrefixController],
      }).compile();
      await expect(createPlatformApp(moduleRef, 'express')).rejects.toThrow(/SESSION_KEY_PREFIX is empty/);
      await moduleRef.close();
    });

    it('an empty prefix option fails start-up, naming the option', async () => {
      await expect(
        createApp({ SECRET_KEY, sessionInterface: new FlaskSessionRedisInterface({ url: server.url, prefix: '' }) }),
      ).rejects.toThrow(/FlaskSessionRedisInterface\(\{ prefix \}\) is empty/);
    });

    it('openSession refuses an empty prefix even given a config that skipped start-up validation', async () => {
      const iface = new FlaskSessionRedisInterface({ url: server.url });
      try {
        const config = createSessionConfig({ SECRET_KEY, SESSION_KEY_PREFIX: '' });
        await expect(iface.openSession(config, fakeExchange('session=app-config').request)).rejects.toThrow(
          /SESSION_KEY_PREFIX is empty/,
        );
      } finally {
        await iface.close();
      }
      await expectAppEntryUntouched();
    });

    it('with the default prefix, a cookie naming another key reads session:<cookie> and leaves the key alone', async () => {
      const app = await createApp(
        { SECRET_KEY, sessionInterface: new FlaskSessionRedisInterface({ url: server.url }) },
        {
          controllers: [PrefixController],
        },
      );
      apps.push(app);
      for (const cookie of ['app-config', 'app-config:x', '../app-config', 'session:app-config']) {
        const res = await request(app.getHttpServer()).get('/touch').set('Cookie', `session=${cookie}`);
        expect(res.body).toEqual({ before: { _permanent: true }, new: true });
      }
      await expectAppEntryUntouched();
    });

    it('with SESSION_USE_SIGNER an empty prefix is allowed: only ids this app signed are looked up', async () => {
      const app = await createApp(
        {
          SECRET_KEY,
          SESSION_KEY_PREFIX: '',
          SESSION_USE_SIGNER: true,
          sessionInterface: new FlaskSessionRedisInterface({ url: server.url }),
        },
        { controllers: [PrefixController] },
      );
      apps.push(app);
      const forged = new Signer('another key', { salt: 'flask-session', keyDerivation: 'hmac' }).sign('app-config');
      for (const cookie of ['app-config', forged]) {
        const res = await request(app.getHttpServer()).get('/touch').set('Cookie', `session=${cookie}`);
        expect(res.body).toEqual({ before: { _permanent: true }, new: true });
      }
      await expectAppEntryUntouched();
    });
  },
);
