/**
 * The types an application sees, checked by compiling a small app against the package: one
 * augmentation of `SessionData` types `@Session()`, `getSession()`, `flash()` and the testing
 * helpers (`createSessionTester`); `SessionMixin` takes every kind of session; `flash()` takes a typed session and an
 * untyped `RedisSession` without a cast; `forRootAsync({ useClass })` takes a
 * `SessionOptionsFactory`. Wrong uses are marked `@ts-expect-error`, so they must fail to compile.
 * The app is compiled in memory, apart from the other tests, so its augmentation stays its own.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles `files` (paths relative to this folder) as the repository's tsconfig would; returns the errors. */
export function compileApp(files: Record<string, string>): string[] {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const virtual = new Map(Object.entries(files).map(([name, code]) => [join(ROOT, 'test/typing/app', name), code]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const code = virtual.get(name);
    return code !== undefined
      ? ts.createSourceFile(name, code, language)
      : getSourceFile.call(host, name, language, ...rest);
  };
  const program = ts.createProgram([...virtual.keys()], { ...options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && virtual.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName.slice(ROOT.length)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

const SESSION_DATA = `declare module 'nest-flask-session' {
  interface SessionData {
    userId?: number;
    cart?: string[];
  }
}
export {};
`;

const APP = `import { Controller, Get, Module, type ExecutionContext, type INestApplication } from '@nestjs/common';
import {
  flash,
  getFlashedMessages,
  getSession,
  SecureCookieSession,
  Session,
  SessionModule,
  type RedisSession,
  type SessionMixin,
  type SessionModuleOptions,
  type SessionOptionsFactory,
} from 'nest-flask-session';
import { createSessionTester } from 'nest-flask-session/testing';

@Controller('cart')
export class CartController {
  @Get()
  show(@Session() session: SessionMixin) {
    const userId: number | undefined = session.get('userId');
    const cart: string[] = session.get('cart', []);
    session.set('cart', [...cart, 'tea']);
    // @ts-expect-error userId is declared a number
    session.set('userId', 'alice');
    // @ts-expect-error cart is declared a list of strings
    session.set('cart', [1]);
    // Keys the app did not declare stay open, as in Flask.
    session.set('theme', 'dark');
    flash(session, 'Added tea');
    session.permanent = true;
    return { userId, messages: getFlashedMessages(session) };
  }
}

export async function userIdOf(context: ExecutionContext): Promise<number | undefined> {
  const session = await getSession(context);
  // @ts-expect-error userId is a number, not a string
  const wrong: string | undefined = session.get('userId');
  void wrong;
  return session.get('userId');
}

export async function logout(session: RedisSession): Promise<void> {
  flash(session, 'Logged out', 'info');
  getFlashedMessages(session, { withCategories: true });
  await session.destroy();
}

type Counter = { n?: number };
export function count(session: SecureCookieSession<Counter>): number {
  flash(session, 'counted');
  const n = (session.get('n') ?? 0) + 1;
  session.set('n', n);
  return n;
}

export function every(cookie: SecureCookieSession, redis: RedisSession): SessionMixin[] {
  return [cookie, redis];
}

export async function testTheApp(app: INestApplication): Promise<number | undefined> {
  const sessions = createSessionTester(app);
  await sessions.createCookie({ userId: 1, cart: ['tea'] });
  // @ts-expect-error userId is a number
  await sessions.createCookie({ userId: 'alice' });
  const read = await sessions.readSession(undefined);
  return read?.userId;
}

class SessionOptions implements SessionOptionsFactory {
  createSessionOptions(): SessionModuleOptions {
    return { SECRET_KEY: 'a key' };
  }
}

@Module({ imports: [SessionModule.forRootAsync({ useClass: SessionOptions })] })
export class ClassOptionsModule {}

@Module({
  imports: [
    SessionModule.forRootAsync({ useFactory: (key: string) => ({ SECRET_KEY: key }), inject: ['KEY'] }),
  ],
})
export class FactoryOptionsModule {}
`;

it('an app that augments SessionData gets its types everywhere, and its wrong uses fail to compile', () => {
  expect(compileApp({ 'session-data.d.ts': SESSION_DATA, 'app.ts': APP })).toEqual([]);
}, 120000);

it('the check is real: an error in the app is reported', () => {
  const broken = `import type { SessionMixin } from 'nest-flask-session';\nexport const n: string = ({} as SessionMixin).get('userId');\n`;
  expect(compileApp({ 'session-data.d.ts': SESSION_DATA, 'broken.ts': broken })).toEqual([
    expect.stringContaining("Type 'number | undefined' is not assignable to type 'string'"),
  ]);
}, 120000);
