import type { ModuleRef } from '@nestjs/core';
import type { ConfigReader } from './config/resolve-session-config.js';

/** Where the module reads the Flask keys that `forRoot()` does not give. */
export interface ConfigSource {
  read: ConfigReader;
  /** Said in start-up messages, e.g. the warning about a missing `SECRET_KEY`. */
  description: string;
}

type ConfigPackage = typeof import('@nestjs/config');

const fromEnvironment = (why: string): ConfigSource => ({
  read: (key) => process.env[key],
  description: `process.env (${why}, so no .env file is read)`,
});

/** Why `@nestjs/config` did not load: absent (an optional peer), or present but unloadable. */
function notLoadedReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'the app does not have @nestjs/config';
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
  return (
    `@nestjs/config is installed but did not load: ${message}. ` +
    'A CommonJS app (Nest 11) needs @nestjs/config 4, as @nestjs/config 12 is an ES module only'
  );
}

/** How long to wait for Nest to create a `ConfigService` it has registered, in event-loop turns. */
const CONFIG_SERVICE_TURNS = 1000;

/**
 * `ConfigService` when the app registers one (`ConfigModule`, anywhere in the app), else
 * `process.env`. Nest creates providers concurrently, so a registered `ConfigService` may not
 * exist yet: it is awaited, so the config resolved from it is final when anything injects it.
 */
export async function findConfigSource(
  moduleRef: ModuleRef,
  importConfigPackage: () => Promise<ConfigPackage> = () => import('@nestjs/config'),
): Promise<ConfigSource> {
  let configPackage: ConfigPackage;
  try {
    configPackage = await importConfigPackage();
  } catch (error) {
    return fromEnvironment(notLoadedReason(error));
  }
  const { ConfigService } = configPackage;
  const lookUp = (): InstanceType<typeof ConfigService> | null | undefined => {
    try {
      return moduleRef.get(ConfigService, { strict: false }) as InstanceType<typeof ConfigService> | null;
    } catch {
      return undefined; // not registered
    }
  };
  let service = lookUp();
  if (service === undefined) return fromEnvironment('the app does not import ConfigModule');
  for (let turn = 0; service === null && turn < CONFIG_SERVICE_TURNS; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    service = lookUp();
  }
  if (!service) {
    throw new Error(
      'SessionModule could not read its configuration: the app registers ConfigService but Nest did not create it ' +
        '(does a provider ConfigService needs depend on SESSION_CONFIG?).',
    );
  }
  const configService = service;
  return {
    read: (key) => configService.get<unknown>(key),
    description: 'ConfigService (@nestjs/config: the environment and the .env files ConfigModule loads)',
  };
}
