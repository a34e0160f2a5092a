/**
 * SessionModule's configuration cannot silently mislead: `SESSION_CONFIG` is final when a
 * provider's constructor reads it; without `ConfigService` the Flask keys come from `process.env`
 * (keys given to forRoot() still win), and the missing-key warning says where keys are read
 * from; a second `SessionModule.forRoot()` with other options fails at start-up naming both
 * importers, while equal options import cleanly; `forRootAsync()` takes a
 * `SessionOptionsFactory` through `useClass` and `useExisting`.
 */
import { jest } from '@jest/globals';
import { Controller, Get, Inject, Injectable, Logger, Module, type INestApplication } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { ModuleRef } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  SESSION_CONFIG,
  Session,
  SessionConfigError,
  SessionModule,
  type SessionConfig,
  type SessionMixin,
  type SessionModuleOptions,
  type SessionOptionsFactory,
} from 'nest-flask-session';
import { readSessionCookie } from 'nest-flask-session/testing';
import request from 'supertest';
import { createPlatformApp, setCookies } from '../support/create-app.js';

/** Reads the config in its constructor, as any provider may. */
@Injectable()
class CookieNameReader {
  readonly cookieName: string;
  readonly secretKey: unknown;
  constructor(@Inject(SESSION_CONFIG) config: SessionConfig) {
    this.cookieName = config.SESSION_COOKIE_NAME;
    this.secretKey = config.SECRET_KEY;
  }
}

@Controller()
class CounterController {
  @Get('count')
  count(@Session() session: SessionMixin) {
    const n = ((session.get('n') as number | undefined) ?? 0) + 1;
    session.set('n', n);
    return { n };
  }
}

async function start(imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>) {
  const moduleRef = await Test.createTestingModule({
    imports,
    controllers: [CounterController],
    providers: [CookieNameReader],
  }).compile();
  return { moduleRef, app: await createPlatformApp(moduleRef, 'express') };
}

/** Sets environment variables for one test. */
function withEnv(values: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

let app: INestApplication | undefined;
let restoreEnv: (() => void) | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  restoreEnv?.();
  restoreEnv = undefined;
  jest.restoreAllMocks();
});

describe('SESSION_CONFIG is final when injected', () => {
  it('a constructor reads the keys ConfigService gives (ConfigModule imported beside SessionModule, not global)', async () => {
    const started = await start([
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SESSION_COOKIE_NAME: 'from-config' })] }),
      SessionModule.forRoot({ SECRET_KEY: 'given to forRoot' }),
    ]);
    app = started.app;
    const reader = app.get(CookieNameReader);
    expect(reader.cookieName).toBe('from-config');
    expect(reader.secretKey).toBe('given to forRoot');
  });

  it('without ConfigModule, the Flask keys come from process.env; keys given to forRoot still win', async () => {
    restoreEnv = withEnv({ SESSION_COOKIE_NAME: 'from_env', SECRET_KEY: 'env key', PERMANENT_SESSION_LIFETIME: '120' });
    const started = await start([SessionModule.forRoot({ SECRET_KEY: 'given to forRoot' })]);
    app = started.app;
    const reader = app.get(CookieNameReader);
    expect(reader.cookieName).toBe('from_env');
    expect(reader.secretKey).toBe('given to forRoot');
    const res = await request(app.getHttpServer()).get('/count').expect(200);
    expect(setCookies(res.headers)[0]).toMatch(/^from_env=/);
    expect(app.get<SessionConfig>(SESSION_CONFIG).PERMANENT_SESSION_LIFETIME).toBe(120);
  });
});

/** The module's config lookup, loaded when a test needs it (so the rest of this file runs without it). */
const configSource = () => import('../../lib/config-source.js');

describe('the missing SECRET_KEY warning says where keys are read from', () => {
  function spyOnWarnings(): () => string[] {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    return () => warn.mock.calls.map((call) => String(call[0]));
  }

  it('without ConfigModule: process.env, and that no .env file is read', async () => {
    restoreEnv = withEnv({});
    delete process.env.SECRET_KEY;
    const logged = spyOnWarnings();
    app = (await start([SessionModule.forRoot()])).app;
    const line = logged().find((message) => message.includes('No SECRET_KEY is set'));
    expect(line).toContain("SessionModule.forRoot()'s options");
    expect(line).toContain('process.env (the app does not import ConfigModule, so no .env file is read)');
  });

  it('with ConfigModule: ConfigService and the .env files it loads', async () => {
    const logged = spyOnWarnings();
    app = (await start([ConfigModule.forRoot({ ignoreEnvFile: true, ignoreEnvVars: true }), SessionModule.forRoot()]))
      .app;
    const line = logged().find((message) => message.includes('No SECRET_KEY is set'));
    expect(line).toContain('ConfigService (@nestjs/config: the environment and the .env files ConfigModule loads)');
  });

  it('without the @nestjs/config package: process.env, saying so', async () => {
    const moduleRef = { get: () => null } as unknown as ModuleRef;
    const missing = Object.assign(new Error("Cannot find package '@nestjs/config'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const source = await (await configSource()).findConfigSource(moduleRef, () => Promise.reject(missing));
    expect(source.description).toBe('process.env (the app does not have @nestjs/config, so no .env file is read)');
    restoreEnv = withEnv({ SESSION_COOKIE_NAME: 'read_from_env' });
    expect(source.read('SESSION_COOKIE_NAME')).toBe('read_from_env');
  });

  it('with a @nestjs/config that does not load (an ES module only version in a CommonJS app): process.env, saying why', async () => {
    const moduleRef = { get: () => null } as unknown as ModuleRef;
    const esmOnly = Object.assign(new Error('require() of ES Module .../@nestjs/config/dist/index.js not supported.'), {
      code: 'ERR_REQUIRE_ESM',
    });
    const source = await (await configSource()).findConfigSource(moduleRef, () => Promise.reject(esmOnly));
    expect(source.description).toContain('@nestjs/config is installed but did not load: require() of ES Module');
    expect(source.description).toContain('needs @nestjs/config 4');
  });
});

describe('one session configuration per app', () => {
  it('a feature module importing SessionModule.forRoot() with other options fails start-up, naming both importers', async () => {
    @Module({ imports: [SessionModule.forRoot({ SECRET_KEY: 'feature key', SESSION_COOKIE_NAME: 'feature' })] })
    class FeatureModule {}
    @Module({ imports: [SessionModule.forRoot({ SECRET_KEY: 'app key' }), FeatureModule] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const failed = createPlatformApp(moduleRef, 'express');
    await expect(failed).rejects.toThrow(SessionConfigError);
    await expect(failed).rejects.toThrow(/imported by AppModule and by FeatureModule/);
    await expect(failed).rejects.toThrow(/SESSION_COOKIE_NAME: not given vs "feature"/);
    await expect(failed).rejects.toThrow(/SECRET_KEY: a key \(not shown\) vs a key \(not shown\)/);
    await moduleRef.close();
  });

  it('the same options imported twice import cleanly: one binding, one Set-Cookie', async () => {
    const options: SessionModuleOptions = { SECRET_KEY: 'one key', SESSION_COOKIE_NAME: 'shared' };
    @Module({ imports: [SessionModule.forRoot({ ...options })] })
    class FeatureModule {}
    app = (await start([SessionModule.forRoot({ ...options }), FeatureModule])).app;
    const res = await request(app.getHttpServer()).get('/count').expect(200);
    const cookies = setCookies(res.headers);
    expect(cookies).toHaveLength(1);
    expect(readSessionCookie(cookies, options)).toEqual({ n: 1 });
  });
});

describe('forRootAsync with a SessionOptionsFactory', () => {
  @Injectable()
  class SessionOptions implements SessionOptionsFactory {
    createSessionOptions(): SessionModuleOptions {
      return { SECRET_KEY: 'factory key', SESSION_COOKIE_NAME: 'from_factory' };
    }
  }

  @Module({ providers: [SessionOptions], exports: [SessionOptions] })
  class OptionsModule {}

  it.each([
    ['useClass', SessionModule.forRootAsync({ useClass: SessionOptions })],
    ['useExisting', SessionModule.forRootAsync({ imports: [OptionsModule], useExisting: SessionOptions })],
  ])('%s', async (_how, sessionModule) => {
    app = (await start([sessionModule])).app;
    expect(app.get(CookieNameReader).cookieName).toBe('from_factory');
    const res = await request(app.getHttpServer()).get('/count').expect(200);
    expect(
      readSessionCookie(setCookies(res.headers), { SECRET_KEY: 'factory key', SESSION_COOKIE_NAME: 'from_factory' }),
    ).toEqual({ n: 1 });
  });
});
