import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A keep-alive HTTP client for many requests against an app listening on 127.0.0.1. Unlike
 * supertest it sends header bytes as given (latin1), so invalid UTF-8 reaches the server.
 */
export async function rawClient(app: INestApplication, maxSockets = 64) {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets });
  const get = (path: string, cookie?: string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, agent, headers: cookie === undefined ? {} : { cookie } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(10000, () => req.destroy(new Error(`timeout on ${path}`)));
      req.on('error', reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}
