import { spawnSync } from 'node:child_process';

/** True when `command args...` runs and exits 0 (used to probe redis-server, python3-flask, chromium). */
export function programWorks(command: string, args: string[] = ['--version']): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 15000 }).status === 0;
  } catch {
    return false;
  }
}

/**
 * `describe` for a suite that needs an outside program. On a developer's machine without it the
 * suite is skipped with a message saying how to install it; under `CI=true` it never skips: a
 * missing program is a failing test, because CI is supposed to have installed it.
 */
export function describeWithProgram(title: string, available: boolean, installHint: string, body: () => void): void {
  if (available) {
    describe(title, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has its required program installed', () => {
        throw new Error(`${title}: required program missing under CI=true. Install it: ${installHint}`);
      });
    });
    return;
  }
  console.warn(`Skipping "${title}": required program missing. Install it with: ${installHint}`);
  const skipped = describe.skip;
  skipped(title, body);
}
