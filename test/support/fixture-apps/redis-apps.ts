import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { SessionModuleOptions } from 'nest-flask-session';
import { closeApp, createApp, type Platform } from '../create-app.js';
import { RedisServer } from '../redis-server.js';
import { SessionRoutesController } from './session-routes.controller.js';

/** A redis-server for one suite, a client on it, and the apps the suite starts against it. */
export interface RedisApps {
  readonly server: RedisServer;
  readonly redis: Redis;
  /**
   * An app on the platform with SessionModule (`options` names the session interface) and
   * {@link SessionRoutesController} unless `metadata` says otherwise; closed after the suite.
   */
  start(platform: Platform, options: SessionModuleOptions, metadata?: ModuleMetadata): Promise<INestApplication>;
  /** Closes the app, then its session interface, after the suite. */
  track<T extends INestApplication>(app: T): T;
}

/**
 * Starts a redis-server before the suite's tests (register it first: later `beforeAll` hooks can
 * use it) and, after them, closes every tracked app and its session interface, then the server.
 */
export function useRedisApps(): RedisApps {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  const apps: INestApplication[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    for (const app of apps) await closeApp(app);
    redis?.disconnect();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the redis-server starts in beforeAll; use it inside a hook or test');
    return value;
  };
  const fixture: RedisApps = {
    get server() {
      return started(server);
    },
    get redis() {
      return started(redis);
    },
    async start(platform, options, metadata = { controllers: [SessionRoutesController] }) {
      return fixture.track(await createApp(options, metadata, undefined, platform));
    },
    track(app) {
      apps.push(app);
      return app;
    },
  };
  return fixture;
}
