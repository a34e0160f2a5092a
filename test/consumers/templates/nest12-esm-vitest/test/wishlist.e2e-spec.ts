import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createSessionTester } from 'nest-flask-session/testing';
import request from 'supertest';
import { EncryptedWishlistModule } from '../src/wishlist/encrypted-wishlist.module.js';
import { RedisWishlistModule } from '../src/wishlist/redis-wishlist.module.js';

process.env.SECRET_KEY = 'a key for the wishlist tests only';

/** The session cookie a response sets, for the next request. */
function cookieOf(res: request.Response): string {
  return res.get('Set-Cookie')![0]!.split(';', 1)[0]!;
}

describe.each([
  ['encrypted cookies', EncryptedWishlistModule],
  ['Redis', RedisWishlistModule],
])('Wishlist on %s (e2e)', (_name, WishlistModule) => {
  let app: INestApplication;

  beforeAll(async () => {
    if (WishlistModule === RedisWishlistModule && !process.env.SESSION_REDIS_URL) {
      throw new Error('SESSION_REDIS_URL is not set: the consumer test starts a redis-server and sets it.');
    }
    const moduleRef = await Test.createTestingModule({ imports: [WishlistModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('a session the test creates is the one the app reads and writes', async () => {
    const sessions = createSessionTester(app);
    const cookie = await sessions.createCookie({ userId: 7, wishlist: ['kettle'] });
    const res = await request(app.getHttpServer()).post('/wishlist/teapot').set('Cookie', cookie).expect(201);
    expect(res.body).toEqual(['kettle', 'teapot']);
    const session = await sessions.readSession(res);
    const wishlist: string[] | undefined = session?.wishlist;
    expect(wishlist).toEqual(['kettle', 'teapot']);
    expect(session?.userId).toBe(7);
    // @ts-expect-error userId is declared a number in src/session-data.ts
    await expect(sessions.createCookie({ userId: 'seven' })).resolves.toBeDefined();
  });

  it('the guard reads the session with getSession(): no session, no wishlist', async () => {
    await request(app.getHttpServer()).get('/wishlist').expect(403);
  });

  it('a flashed message shows once', async () => {
    const login = await request(app.getHttpServer()).post('/wishlist/login/3').expect(201);
    const first = await request(app.getHttpServer()).get('/wishlist').set('Cookie', cookieOf(login)).expect(200);
    expect(first.body).toEqual({ wishlist: [], messages: ['Welcome back'] });
    const second = await request(app.getHttpServer()).get('/wishlist').set('Cookie', cookieOf(first)).expect(200);
    expect(second.body.messages).toEqual([]);
  });
});
