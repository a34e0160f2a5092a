/**
 * One tagged-JSON serializer for every session, as Flask has one `session_json_serializer`: a tag
 * registered on the exported `sessionJsonSerializer` (`flask.json.tag`'s documented way to store
 * another type) reaches signed-cookie, encrypted-cookie and Redis sessions alike.
 */
import { Controller, Get, type INestApplication } from '@nestjs/common';
import {
  EncryptedCookieSessionInterface,
  RedisSessionInterface,
  Session,
  type SessionMixin,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { JSONTag, sessionJsonSerializer } from 'nest-flask-session/tagged-json';
import request from 'supertest';
import { createApp, setCookies } from '../support/create-app.js';
import { MemoryRedis } from '../support/memory-redis.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

class TagPoint extends JSONTag {
  override readonly key = ' point';
  override check(value: unknown): boolean {
    return value instanceof Point;
  }
  override toJson(value: Point): unknown {
    return [value.x, value.y];
  }
  override toPython(value: [number, number]): unknown {
    return new Point(value[0], value[1]);
  }
}

sessionJsonSerializer.register(TagPoint);

@Controller()
class PointController {
  @Get('set')
  set(@Session() session: SessionMixin) {
    session.set('where', new Point(3, 4));
    return {};
  }

  @Get('get')
  get(@Session() session: SessionMixin) {
    const where = session.get('where');
    return { isPoint: where instanceof Point, where };
  }
}

const redis = new MemoryRedis();

describe.each<[string, SessionModuleOptions]>([
  ['signed cookies', {}],
  ['encrypted cookies', { sessionInterface: EncryptedCookieSessionInterface }],
  ['Redis', { sessionInterface: new RedisSessionInterface({ client: redis }) }],
])('%s', (_kind, options) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({ SECRET_KEY: 'shared tagged JSON key', ...options }, { controllers: [PointController] });
  });
  afterAll(() => app.close());

  it('store a value of a type registered on sessionJsonSerializer and read it back', async () => {
    const set = await request(app.getHttpServer()).get('/set').expect(200);
    const cookie = setCookies(set.headers)[0]!.split(';', 1)[0]!;
    const got = await request(app.getHttpServer()).get('/get').set('Cookie', cookie).expect(200);
    expect(got.body).toEqual({ isPoint: true, where: { x: 3, y: 4 } });
  });
});

it('the signed cookie holds the tag as Flask would write it', async () => {
  expect(sessionJsonSerializer.dumps({ where: new Point(3, 4) })).toBe('{"where":{" point":[3,4]}}');
});
