import type { ModulesContainer } from '@nestjs/core';
import { SessionConfigError } from './config/session-config.error.js';
import type { SessionModuleOptions } from './interfaces/session-module-options.interface.js';

type NestModuleRef = ModulesContainer extends Map<string, infer M> ? M : never;

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return false;
}

/** The option keys whose values differ (keys given to one only count as differing). */
function differingKeys(a: SessionModuleOptions, b: SessionModuleOptions): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter(
    (key) => !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** A value as a start-up message may show it: secrets never. */
function shown(key: string, value: unknown): string {
  if (value === undefined) return 'not given';
  if (key.startsWith('SECRET_KEY')) return 'a key (not shown)';
  if (typeof value === 'function') return (value as { name: string }).name;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return `a ${value.constructor.name}`;
  return JSON.stringify(value);
}

function importersOf(modules: ModulesContainer, sessionModule: NestModuleRef): string {
  const names = [...modules.values()]
    .filter((module) => module.imports.has(sessionModule))
    .map((module) => module.metatype?.name ?? module.name);
  return names.length > 0 ? names.join(', ') : 'a module';
}

/**
 * One session configuration per application: every `SessionModule.forRoot()`/`forRootAsync()`
 * in the app must be given the same options (a feature module importing it again with its own key
 * or cookie name would otherwise take over the whole app's sessions). Throws naming the importing
 * modules and the keys that differ.
 */
export function assertOneSessionConfiguration(
  modules: ModulesContainer,
  sessionModuleClass: object,
  optionsToken: string | symbol,
): void {
  const instances = [...modules.values()].filter((module) => module.metatype === sessionModuleClass);
  const [first, ...others] = instances;
  if (!first) return;
  const firstOptions = first.getProviderByKey<SessionModuleOptions>(optionsToken)?.instance ?? {};
  for (const other of others) {
    const otherOptions = other.getProviderByKey<SessionModuleOptions>(optionsToken)?.instance ?? {};
    const keys = differingKeys(firstOptions, otherOptions);
    if (keys.length === 0) continue;
    const details = keys
      .map(
        (key) =>
          `${key}: ${shown(key, (firstOptions as Record<string, unknown>)[key])} vs ${shown(key, (otherOptions as Record<string, unknown>)[key])}`,
      )
      .join('; ');
    throw new SessionConfigError(
      keys[0]!,
      `differs between two SessionModule configurations of one app: SessionModule.forRoot() imported by ` +
        `${importersOf(modules, first)} and by ${importersOf(modules, other)} (${details}). An app has one ` +
        'session configuration: import SessionModule once, in the root module (its @Session() works in every ' +
        'module), or give every import the same options',
    );
  }
}
