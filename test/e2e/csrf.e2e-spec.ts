/**
 * Flask-WTF's CSRFProtect in Nest (Flask-WTF's csrf.py): the app-wide guard and its exemptions,
 * a per-controller guard, WTF_CSRF_ENABLED / WTF_CSRF_CHECK_DEFAULT / WTF_CSRF_METHODS /
 * WTF_CSRF_HEADERS / WTF_CSRF_FIELD_NAME, where the token may come from (a form body, a prefixed
 * field, a header; never a JSON body), the referrer check over HTTPS with WTF_CSRF_SSL_STRICT,
 * the meta tag, and the keys read from ConfigService and validated at start-up.
 */
import { Body, Controller, Get, HttpCode, Post, Put, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { SessionModule } from 'nest-flask-session';
import {
  CsrfExempt,
  CsrfGuard,
  CsrfModule,
  CsrfService,
  CSRF_REASONS,
  type CsrfModuleOptions,
} from 'nest-flask-session/csrf';
import { createApp, PLATFORMS, type Platform } from '../support/create-app.js';

const SECRET_KEY = 'csrf e2e key of a decent length';

@Controller()
class FormController {
  constructor(private readonly csrf: CsrfService) {}

  @Get('form')
  async form(@Req() req: object) {
    const token = await this.csrf.generateCsrf(req);
    // One token per request, however often a template asks.
    if ((await this.csrf.generateCsrf(req)) !== token) throw new Error('a second token in one request');
    return token;
  }

  @Get('meta')
  meta(@Req() req: object) {
    return this.csrf.metaTag(req);
  }

  @Post('submit')
  @HttpCode(200)
  submit(@Body() body: Record<string, unknown> | undefined) {
    return { accepted: true, note: body?.note ?? null };
  }

  @Put('submit')
  replace() {
    return 'replaced';
  }

  @Post('webhook')
  @HttpCode(200)
  @CsrfExempt()
  webhook() {
    return 'exempt';
  }
}

@Controller('api')
@CsrfExempt()
class ExemptController {
  @Post('ping')
  @HttpCode(200)
  ping() {
    return 'pong';
  }
}

@Controller('guarded')
@UseGuards(CsrfGuard)
class GuardedController {
  @Post()
  @HttpCode(200)
  post() {
    return 'guarded';
  }
}

async function appWith(
  platform: Platform,
  options: CsrfModuleOptions = {},
  imports: unknown[] = [],
): Promise<INestApplication> {
  return createApp(
    { SECRET_KEY },
    {
      controllers: [FormController, ExemptController, GuardedController],
      imports: [...(imports as []), CsrfModule.forRoot(options)],
    },
    undefined,
    platform,
  );
}

/** A client with a session and its token. */
async function withToken(app: INestApplication) {
  const agent = request.agent(app.getHttpServer());
  const token = (await agent.get('/form').expect(200)).text;
  return { agent, token };
}

const reason = (response: request.Response) => (response.body as { message?: string }).message;

describe.each(PLATFORMS)('Flask-WTF CSRF in Nest on %s', (platform) => {
  let app: INestApplication;
  afterEach(async () => {
    await app?.close();
  });

  it('guards every unsafe method app-wide, from a form field, a prefixed field or a header; never a JSON body', async () => {
    app = await appWith(platform);
    const { agent, token } = await withToken(app);
    const missing = await agent.post('/submit').type('form').send({ note: 'x' }).expect(400);
    expect(reason(missing)).toBe(CSRF_REASONS.missing);
    expect((await agent.post('/submit').type('form').send({ csrf_token: token, note: 'x' }).expect(200)).body).toEqual({
      accepted: true,
      note: 'x',
    });
    await agent.post('/submit').type('form').send({ 'login-csrf_token': token }).expect(200);
    await agent.post('/submit').set('X-CSRF-Token', token).send({ note: 'json' }).expect(200);
    expect(reason(await agent.post('/submit').send({ csrf_token: token }).expect(400))).toBe(CSRF_REASONS.missing);
    expect(reason(await agent.put('/submit').expect(400))).toBe(CSRF_REASONS.missing);
    await agent.get('/form').expect(200);
    expect(reason(await request(app.getHttpServer()).post('/submit').set('X-CSRFToken', token).expect(400))).toBe(
      CSRF_REASONS.sessionMissing,
    );
  });

  it('skips @CsrfExempt handlers and controllers; a per-controller guard protects alone when the app-wide one is off', async () => {
    app = await appWith(platform);
    await request(app.getHttpServer()).post('/webhook').expect(200, 'exempt');
    await request(app.getHttpServer()).post('/api/ping').expect(200, 'pong');
    await app.close();

    app = await appWith(platform, { global: false });
    await request(app.getHttpServer()).post('/submit').expect(200);
    expect(reason(await request(app.getHttpServer()).post('/guarded').expect(400))).toBe(CSRF_REASONS.missing);
    const { agent, token } = await withToken(app);
    await agent.post('/guarded').set('X-CSRFToken', token).expect(200, 'guarded');
  });

  it('honours WTF_CSRF_ENABLED, WTF_CSRF_CHECK_DEFAULT, WTF_CSRF_METHODS, WTF_CSRF_HEADERS and WTF_CSRF_FIELD_NAME', async () => {
    app = await appWith(platform, { WTF_CSRF_ENABLED: false });
    await request(app.getHttpServer()).post('/submit').expect(200);
    await request(app.getHttpServer()).post('/guarded').expect(200);
    await app.close();

    app = await appWith(platform, { WTF_CSRF_CHECK_DEFAULT: false });
    await request(app.getHttpServer()).post('/submit').expect(200);
    await request(app.getHttpServer()).post('/guarded').expect(400);
    await app.close();

    app = await appWith(platform, {
      WTF_CSRF_METHODS: ['put'],
      WTF_CSRF_HEADERS: ['X-XSRF'],
      WTF_CSRF_FIELD_NAME: 'xsrf',
    });
    const { agent, token } = await withToken(app);
    await agent.post('/submit').expect(200);
    expect(reason(await agent.put('/submit').set('X-CSRFToken', token).expect(400))).toBe(CSRF_REASONS.missing);
    await agent.put('/submit').set('X-XSRF', token).expect(200);
    await agent.put('/submit').type('form').send({ xsrf: token }).expect(200);
    const session = await agent.put('/submit').type('form').send({ csrf_token: token }).expect(400);
    expect(reason(session)).toBe(CSRF_REASONS.missing);
  });

  it('renders the meta tag with WTF_CSRF_META_NAME', async () => {
    app = await appWith(platform, { WTF_CSRF_META_NAME: 'xsrf-token' });
    const agent = request.agent(app.getHttpServer());
    const meta = (await agent.get('/meta').expect(200)).text;
    const match = /^<meta name="xsrf-token" content="([\w.-]+)">$/.exec(meta);
    expect(match).not.toBeNull();
    await agent.post('/submit').set('X-CSRFToken', match![1]!).expect(200);
  });

  it('reads the keys from ConfigService and refuses a bad one at start-up, naming it', async () => {
    const config = ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ WTF_CSRF_ENABLED: 'false' })] });
    app = await appWith(platform, {}, [config]);
    await request(app.getHttpServer()).post('/submit').expect(200);
    for (const [values, key] of [
      [{ WTF_CSRF_TIME_LIMIT: 'an hour' }, 'WTF_CSRF_TIME_LIMIT'],
      [{ WTF_CSRF_TIME_LIMIT: '-5' }, 'WTF_CSRF_TIME_LIMIT'],
      [{ WTF_CSRF_SSL_STRICT: 'maybe' }, 'WTF_CSRF_SSL_STRICT'],
      [{ WTF_CSRF_HEADERS: 'X-Ok, Bad Header' }, 'WTF_CSRF_HEADERS'],
      [{ WTF_CSRF_FIELD_NAME: '' }, 'WTF_CSRF_FIELD_NAME'],
    ] as const) {
      const bad = ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => values] });
      await expect(appWith(platform, {}, [bad])).rejects.toThrow(new RegExp(`Invalid session configuration: ${key} `));
    }
  });
});

describe.each(PLATFORMS)('the referrer check over HTTPS (WTF_CSRF_SSL_STRICT) on %s', (platform) => {
  let app: INestApplication;
  afterEach(async () => {
    await app?.close();
  });

  /** An app behind a TLS-terminating proxy the platform trusts. */
  async function behindProxy(options: CsrfModuleOptions = {}): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [SessionModule.forRoot({ SECRET_KEY }), CsrfModule.forRoot(options)],
      controllers: [FormController],
    }).compile();
    if (platform === 'fastify') {
      const fastify = moduleRef.createNestApplication<NestFastifyApplication>(
        new FastifyAdapter({ trustProxy: true }),
        { logger: false },
      );
      await fastify.init();
      await fastify.getHttpAdapter().getInstance().ready();
      return fastify;
    }
    const express = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    express.set('trust proxy', 1);
    await express.init();
    return express;
  }

  it('requires a Referer of the same origin over HTTPS, and not with WTF_CSRF_SSL_STRICT=false', async () => {
    app = await behindProxy();
    const { agent, token } = await withToken(app);
    const https = (path: string) =>
      agent.post(path).set('x-forwarded-proto', 'https').set('host', 'shop.example.com').set('X-CSRFToken', token);
    expect(reason(await https('/submit').expect(400))).toBe(CSRF_REASONS.referrerMissing);
    expect(reason(await https('/submit').set('referer', 'https://evil.example.com/form').expect(400))).toBe(
      CSRF_REASONS.referrerMismatch,
    );
    expect(reason(await https('/submit').set('referer', 'http://shop.example.com/form').expect(400))).toBe(
      CSRF_REASONS.referrerMismatch,
    );
    await https('/submit').set('referer', 'https://shop.example.com/form').expect(200);
    // A bad token is refused before the referrer is looked at, as in Flask-WTF.
    const bad = await agent.post('/submit').set('x-forwarded-proto', 'https').set('X-CSRFToken', 'nope');
    expect(reason(bad)).toBe(CSRF_REASONS.invalid);
    // Plain HTTP: no referrer needed.
    await agent.post('/submit').set('X-CSRFToken', token).expect(200);
    await app.close();

    app = await behindProxy({ WTF_CSRF_SSL_STRICT: false });
    const relaxed = await withToken(app);
    await relaxed.agent.post('/submit').set('x-forwarded-proto', 'https').set('X-CSRFToken', relaxed.token).expect(200);
  });
});
