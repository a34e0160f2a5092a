/**
 * A method decorator that wraps the handler (`descriptor.value = function wrapped() {...}`, as
 * logging, tracing and caching decorators do) does not hide `@Res()`: the plan is read from the
 * metadata Nest's parameter decorators stored under the method's property key, found on the
 * class, not under the wrapper's function name. Otherwise the session is saved when the handler
 * returns, before a handler that writes the response later changed it, and on Fastify a session
 * changed beside `reply.raw` is neither saved into it nor logged.
 */
import { Controller, Get, Res, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import type { FastifyReply } from 'fastify';
import request from 'supertest';
import { Session, type SecureCookieSession } from 'nest-flask-session';
import { readSessionCookie } from 'nest-flask-session/testing';
import { createApp, PLATFORMS, setCookies } from '../support/create-app.js';

const SECRET_KEY = 'wrapped handler tests, a 40-byte test key';
type Data = Record<string, unknown>;
type Handler = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps the method in another function and copies its metadata onto it, as wrapping decorators do. */
function Wrapped(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as Handler;
    const wrapped: Handler = function wrapped(this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
    for (const key of Reflect.getMetadataKeys(original) as unknown[]) {
      Reflect.defineMetadata(key, Reflect.getMetadata(key, original) as unknown, wrapped);
    }
    descriptor.value = wrapped;
  };
}

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

@Controller()
class WrappedController {
  /** Answers after returning: the session changes in between. */
  @Get('/later')
  @Wrapped()
  answerLater(@Session() session: SecureCookieSession<Data>, @Res() res: Response | FastifyReply) {
    void later().then(() => {
      session.set('changed', 'after return');
      if ('raw' in res && 'hijack' in res) void res.send('later');
      else (res as Response).send('later');
    });
  }

  /** Fastify: writes reply.raw, which no hook sees. */
  @Get('/raw')
  @Wrapped()
  raw(@Session() session: SecureCookieSession<Data>, @Res() reply: FastifyReply) {
    session.set('raw', true);
    reply.raw.end('raw');
  }
}

describe.each(PLATFORMS)('a handler wrapped by a method decorator, with @Res(), on %s', (platform) => {
  let app: INestApplication;
  const errors: string[] = [];
  beforeAll(async () => {
    app = await createApp({ SECRET_KEY }, { controllers: [WrappedController] }, undefined, platform);
    app.useLogger({ log() {}, warn() {}, error: (message: unknown) => errors.push(String(message)) });
  });
  afterAll(async () => {
    await app.close();
  });

  it('the session is saved when the handler answers, with what it changed after returning', async () => {
    const res = await request(app.getHttpServer()).get('/later');
    expect(res.status).toBe(200);
    expect(res.text).toBe('later');
    expect(readSessionCookie(setCookies(res.headers), { SECRET_KEY })).toEqual({ changed: 'after return' });
  });

  if (platform === 'fastify') {
    it('a session changed beside reply.raw is saved into reply.raw, and nothing is logged', async () => {
      const res = await request(app.getHttpServer()).get('/raw');
      expect(res.text).toBe('raw');
      expect(readSessionCookie(setCookies(res.headers), { SECRET_KEY })).toEqual({ raw: true });
      await later();
      expect(errors).toEqual([]);
    });
  }
});
