/**
 * The package's entries as an application imports them: the root exports what an app uses and
 * none of the building blocks' internals; itsdangerous and tagged JSON have entries of their own
 * (itsdangerous' `__init__`, `flask.json.tag`); no export is a placeholder that is undefined at
 * run time. The full surface, types included, is api/*.api.md (checked by `npm run lint`). The
 * peers say which @nestjs/config an app may use.
 */
import { readFileSync } from 'node:fs';
import * as root from 'nest-flask-session';
import * as itsdangerous from 'nest-flask-session/itsdangerous';
import * as taggedJson from 'nest-flask-session/tagged-json';
import * as testing from 'nest-flask-session/testing';

const entries = { root, itsdangerous, taggedJson, testing } as Record<string, Record<string, unknown>>;

/** Names the root used to export that are internals, placeholders or pako's internals. */
const INTERNALS = [
  'pythonFloatRepr',
  'pythonJsonDumps',
  'bytesToInt',
  'intToBytes',
  'NodeSessionRequest',
  'NodeSessionResponse',
  'serializeSetCookie',
  'serializeDeleteCookie',
  'SESSION_OPTIONS_TYPE',
  'SESSION_ASYNC_OPTIONS_TYPE',
  'deflate',
  'inflate',
  'resolveSessionConfig',
  'validateSessionConfig',
  'connectRedis',
  'CookieSealer',
  'MsgspecSerializer',
  'TagDict',
  'formatHttpDate',
];

it.each(Object.keys(entries))('%s: every export is defined at run time', (entry) => {
  const undefinedNames = Object.entries(entries[entry]!)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  expect(undefinedNames).toEqual([]);
});

it('no entry exports an internal', () => {
  for (const [entry, exports] of Object.entries(entries)) {
    expect({ entry, leaked: INTERNALS.filter((name) => name in exports) }).toEqual({ entry, leaked: [] });
  }
});

it('the root exports the module, the decorator, sessions, interfaces, errors and flashing, and at most 50 names', () => {
  expect(Object.keys(root).length).toBeLessThanOrEqual(50);
  for (const name of [
    'SessionModule',
    'SESSION_CONFIG',
    'Session',
    'getSession',
    'SessionInterceptor',
    'SecureCookieSessionInterface',
    'EncryptedCookieSessionInterface',
    'RedisSessionInterface',
    'FlaskSessionRedisInterface',
    'SecureCookieSession',
    'RedisSession',
    'SessionConfigError',
    'SessionStoreUnavailableError',
    'flash',
    'getFlashedMessages',
  ]) {
    expect(root).toHaveProperty(name);
  }
  expect(root).not.toHaveProperty('BadSignature');
  expect(root).not.toHaveProperty('TaggedJSONSerializer');
});

it("nest-flask-session/itsdangerous exports itsdangerous' signers, serializers and errors", () => {
  expect(Object.keys(itsdangerous).sort()).toEqual(
    [
      'BadData',
      'BadHeader',
      'BadPayload',
      'BadSignature',
      'BadTimeSignature',
      'SignatureExpired',
      'base64UrlDecode',
      'base64UrlEncode',
      'HMACAlgorithm',
      'NoneAlgorithm',
      'SigningAlgorithm',
      'Signer',
      'TimestampSigner',
      'Serializer',
      'TimedSerializer',
      'URLSafeSerializer',
      'URLSafeTimedSerializer',
    ].sort(),
  );
});

it('nest-flask-session/tagged-json exports the serializer, JSONTag, the one sessionJsonSerializer and the types it round-trips', () => {
  expect(Object.keys(taggedJson).sort()).toEqual(
    [
      'JSONTag',
      'Markup',
      'TagAlreadyRegisteredError',
      'TaggedJSONSerializer',
      'Tuple',
      'UUID',
      'sessionJsonSerializer',
    ].sort(),
  );
  expect(taggedJson.sessionJsonSerializer).toBeInstanceOf(taggedJson.TaggedJSONSerializer);
});

it('declares @nestjs/config 4 (for Nest 11 apps: 12 is an ES module only) or 12 as an optional peer, beside Nest 11 or 12', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  expect(pkg.peerDependencies['@nestjs/config']).toBe('^4.0.0 || ^12.0.0');
  expect(pkg.peerDependenciesMeta['@nestjs/config']).toEqual({ optional: true });
  expect(pkg.peerDependencies['@nestjs/common']).toBe('^11.0.0 || ^12.0.0');
});
