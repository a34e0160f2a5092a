import { ConfigModule } from '@nestjs/config';

/** What ConfigModule.forRoot() gives (a dynamic module, or its promise on @nestjs/config 4). */
export type EnvConfig = ReturnType<typeof ConfigModule.forRoot>;

/** ConfigModule with exactly `values`, as a `.env` file would give them (no file, no process.env lookup first). */
export function envConfig(values: Record<string, unknown>): EnvConfig {
  return ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => values] });
}

/**
 * For each `[values, key]`: `start` with ConfigModule giving `values` fails at start-up with the
 * configuration error that names `key`.
 */
export async function expectConfigRefusals(
  cases: ReadonlyArray<readonly [Record<string, unknown>, string]>,
  start: (config: EnvConfig) => Promise<unknown>,
): Promise<void> {
  for (const [values, key] of cases) {
    await expect(start(envConfig(values))).rejects.toThrow(new RegExp(`Invalid session configuration: ${key} `));
  }
}
