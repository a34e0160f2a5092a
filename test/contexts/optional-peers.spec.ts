/**
 * The GraphQL and WebSocket packages stay optional peers: nothing in lib/ imports @nestjs/graphql
 * or a GraphQL driver, and @nestjs/websockets is only loaded with a dynamic import(), where a
 * gateway already runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../../lib/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? sources(full) : entry.endsWith('.ts') ? [full] : [];
  });
}

const files = sources(LIB).map((file) => ({ file: file.slice(LIB.length), code: readFileSync(file, 'utf8') }));

it('no file of lib/ imports a GraphQL package', () => {
  const importing = files.filter(({ code }) =>
    /from\s+['"](@nestjs\/(graphql|apollo|mercurius)|graphql|mercurius|@apollo\/server)['"]/.test(code),
  );
  expect(importing.map(({ file }) => file)).toEqual([]);
});

it('@nestjs/websockets is never imported statically', () => {
  const importing = files.filter(({ code }) =>
    /from\s+['"]@nestjs\/(websockets|platform-ws|platform-socket\.io)['"]/.test(code),
  );
  expect(importing.map(({ file }) => file)).toEqual([]);
  expect(files.filter(({ code }) => code.includes("import('@nestjs/websockets')")).map(({ file }) => file)).toEqual([
    'contexts/intercept-message.ts',
  ]);
});
