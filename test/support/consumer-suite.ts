/**
 * The checks every consumer app goes through, from the packed tarball: tsc builds it and
 * type-checks its tests, its generated unit and e2e tests still pass beside README's, and the
 * built app serves the Quick start's /cart with a session cookie.
 */
import { ConsumerApp, type CommandResult } from './consumer-app.js';
import { RedisServer } from './redis-server.js';

const INSTALL_TIMEOUT = 8 * 60_000;
const STEP_TIMEOUT = 4 * 60_000;

export interface ConsumerSpec {
  template: string;
  nestMajor: 11 | 12;
  moduleSystem: 'commonjs' | 'esm';
  /** Words in the e2e run's output proving both test files ran under the intended runner. */
  e2eMarker: RegExp;
  /** Another module resolution the app's code and tests must type-check under (tsc flags). */
  otherResolution: string[];
  /**
   * The template's own e2e tests beside the generated and README's (test/wishlist.e2e-spec.ts: a
   * typed SessionData, encrypted cookies and Redis through the testing helpers); they get a
   * redis-server of their own, named by SESSION_REDIS_URL.
   */
  wishlist?: boolean;
}

const passed = (result: CommandResult) => ({ code: result.code, output: result.code === 0 ? '' : result.output });

export function describeConsumer({
  template,
  nestMajor,
  moduleSystem,
  e2eMarker,
  otherResolution,
  wishlist = false,
}: ConsumerSpec): void {
  describe(`${template}: Nest ${nestMajor}, ${moduleSystem}, from npm pack`, () => {
    let app: ConsumerApp;

    beforeAll(async () => {
      app = await ConsumerApp.create(template, { moduleSystem });
    }, INSTALL_TIMEOUT);

    afterAll(() => app?.remove());

    it(`installed @nestjs/core ${nestMajor} and the tarball`, async () => {
      const list = await app.exec('npm', ['ls', '@nestjs/core', 'nest-flask-session', '--json']);
      const deps = (JSON.parse(list.stdout) as { dependencies: Record<string, { version: string; resolved?: string }> })
        .dependencies;
      expect(deps['@nestjs/core']!.version).toMatch(new RegExp(`^${nestMajor}\\.`));
      expect(deps['nest-flask-session']!.resolved).toMatch(/^file:.*nest-flask-session-.*\.tgz$/);
    });

    it(
      'builds with tsc, and its tests type-check against both entries',
      async () => {
        expect(passed(await app.exec('npx', ['tsc', '-p', 'tsconfig.build.json']))).toEqual({ code: 0, output: '' });
        expect(app.built()).toEqual(expect.arrayContaining(['main.js', 'app.module.js', 'cart.controller.js']));
        expect(passed(await app.exec('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']))).toEqual({
          code: 0,
          output: '',
        });
      },
      STEP_TIMEOUT,
    );

    it(
      `type-checks with ${otherResolution.join(' ')} too`,
      async () => {
        const result = await app.exec('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit', ...otherResolution]);
        expect(passed(result)).toEqual({ code: 0, output: '' });
      },
      STEP_TIMEOUT,
    );

    it(
      'passes its generated unit test (npm test)',
      async () => {
        expect(passed(await app.exec('npm', ['test']))).toEqual({ code: 0, output: '' });
      },
      STEP_TIMEOUT,
    );

    it(
      "passes the generated e2e test and README's session e2e test (npm run test:e2e)",
      async () => {
        const redis = wishlist ? await RedisServer.start() : undefined;
        let result: CommandResult;
        try {
          result = await app.exec('npm', ['run', 'test:e2e'], redis ? { SESSION_REDIS_URL: redis.url } : {});
        } finally {
          await redis?.stop();
        }
        expect(passed(result)).toEqual({ code: 0, output: '' });
        expect(result.output).toMatch(/app\.e2e-spec\.ts/);
        expect(result.output).toMatch(/session\.e2e-spec\.ts/);
        if (wishlist) expect(result.output).toMatch(/wishlist\.e2e-spec\.ts/);
        expect(result.output).toMatch(e2eMarker);
      },
      STEP_TIMEOUT,
    );

    it(
      'the built app keeps its / and serves /cart with a signed session, logging no error',
      async () => {
        const server = await app.start({ SECRET_KEY: 'consumer test key' });
        try {
          const home = await fetch(`${server.url}/`);
          expect(await home.text()).toBe('Hello World!');
          const first = await fetch(`${server.url}/cart`);
          expect(await first.json()).toEqual({ cart: [], visits: 1 });
          const cookie = first.headers.getSetCookie()[0]!.split(';', 1)[0]!;
          const added = await fetch(`${server.url}/cart/tea`, { method: 'POST', headers: { cookie } });
          expect(await added.json()).toEqual(['tea']);
          const next = added.headers.getSetCookie()[0]!.split(';', 1)[0]!;
          const second = await fetch(`${server.url}/cart`, { headers: { cookie: next } });
          expect(await second.json()).toEqual({ cart: ['tea'], visits: 2 });
          // Nothing logged an error (Nest 12's @nestjs/observe does on every request without its instrument).
          expect(server.output()).not.toMatch(/\bERROR\b/);
        } finally {
          await server.stop();
        }
      },
      STEP_TIMEOUT,
    );
  });
}
