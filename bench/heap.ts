/**
 * Heap growth through the whole request path: REQUESTS requests (default 200,000) through a Nest
 * app with SessionModule, each re-signing its session, and the heap after a full GC sampled along
 * the way. HEAP_PLATFORM (`express`, `fastify`) and HEAP_INTERFACE (`cookie`, `encrypted`,
 * `redis`, `flask-redis`; the Redis ones need REDIS_URL) pick the app. Run with `npm run
 * bench:heap` (node --expose-gc); `npm run bench` runs every combination. Prints a Markdown table,
 * and with HEAP_JSON=1 a last line of JSON for the runner; exits 1 if the heap grew by more than
 * HEAP_LIMIT_MB (default 8) between the warm-up and the end.
 */
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  EncryptedCookieSessionInterface,
  FlaskSessionRedisInterface,
  RedisSessionInterface,
  SecureCookieSession,
  Session,
  SessionModule,
  type SessionModuleOptions,
} from '../lib/index.js';

const REQUESTS = Number(process.env.REQUESTS ?? 200_000);
const CONCURRENCY = 32;
const LIMIT_MB = Number(process.env.HEAP_LIMIT_MB ?? 8);
const PLATFORM = process.env.HEAP_PLATFORM ?? 'express';
const INTERFACE = process.env.HEAP_INTERFACE ?? 'cookie';

@Controller()
class HitController {
  @Get('/hit')
  hit(@Session() session: SecureCookieSession<{ n?: number }>) {
    const n = (session.get('n') ?? 0) + 1;
    session.set('n', n);
    return String(n);
  }
}

function sessionOptions(): SessionModuleOptions {
  const options: SessionModuleOptions = { SECRET_KEY: 'heap bench key, long enough to pass the checks' };
  if (INTERFACE === 'encrypted') return { ...options, sessionInterface: EncryptedCookieSessionInterface };
  if (INTERFACE === 'redis' || INTERFACE === 'flask-redis') {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error(`HEAP_INTERFACE=${INTERFACE} needs REDIS_URL`);
    return {
      ...options,
      SESSION_REDIS_URL: url,
      sessionInterface: INTERFACE === 'redis' ? RedisSessionInterface : FlaskSessionRedisInterface,
    };
  }
  if (INTERFACE !== 'cookie') throw new Error(`unknown HEAP_INTERFACE ${INTERFACE}`);
  return options;
}

@Module({ imports: [SessionModule.forRoot(sessionOptions())], controllers: [HitController] })
class BenchModule {}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('Run with node --expose-gc (npm run bench:heap).');
  process.exit(2);
}

const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function createApp(): Promise<INestApplication> {
  if (PLATFORM === 'fastify') return NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false });
  if (PLATFORM !== 'express') throw new Error(`unknown HEAP_PLATFORM ${PLATFORM}`);
  return NestFactory.create(BenchModule, { logger: false });
}

async function main(): Promise<void> {
  const app = await createApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const hit = (cookie: string | undefined): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/hit', agent, headers: cookie ? { cookie } : {} },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['set-cookie']?.[0]?.split(';', 1)[0]));
        },
      );
      req.on('error', reject);
      req.end();
    });

  const samples: Array<{ requests: number; heapMb: number }> = [];
  let done = 0;
  const worker = async (): Promise<void> => {
    let cookie: string | undefined;
    while (done < REQUESTS) {
      done += 1;
      cookie = (await hit(cookie)) ?? cookie;
    }
  };
  const checkpoints = [0.05, 0.25, 0.5, 0.75, 1].map((f) => Math.floor(REQUESTS * f));
  const started = Date.now();
  let next = 0;
  const workers = Array.from({ length: CONCURRENCY }, () => worker());
  while (next < checkpoints.length) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (done >= checkpoints[next]! || next === checkpoints.length - 1) {
      if (next === checkpoints.length - 1) await Promise.all(workers);
      samples.push({ requests: done, heapMb: heapMb() });
      next += 1;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  await app.close();

  const growth = samples.at(-1)!.heapMb - samples[0]!.heapMb;
  console.log(`| requests | heap used after GC (MB) |\n| ---: | ---: |`);
  for (const sample of samples) console.log(`| ${sample.requests} | ${sample.heapMb.toFixed(2)} |`);
  console.log(
    `\n${PLATFORM}, ${INTERFACE}: ${REQUESTS} requests in ${seconds.toFixed(1)} s; heap growth after warm-up: ${growth.toFixed(2)} MB (limit ${LIMIT_MB} MB), Node ${process.version}.`,
  );
  if (process.env.HEAP_JSON === '1') console.log(JSON.stringify({ growthMb: growth, samples, seconds }));
  if (growth > LIMIT_MB) process.exit(1);
}

if (process.argv[1]?.endsWith('heap.js')) await main();
