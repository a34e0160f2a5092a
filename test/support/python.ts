import { spawnSync } from 'node:child_process';
import { programWorks } from './external-program.js';

/** Debian's Python with python3-flask (Flask 2.2, itsdangerous 2.1, werkzeug 2.2), installed by .ci/run. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export const debianFlaskInstalled = programWorks(DEBIAN_PYTHON, ['-c', 'import flask, itsdangerous, werkzeug']);

export const DEBIAN_FLASK_HINT = 'apt-get install -y python3-flask';

/**
 * Runs `script` with Debian's Python: it reads its JSON input as `data` and assigns its answer to
 * `result`, which comes back parsed.
 */
export function runPython<T>(script: string, data: unknown = null): T {
  const program = `import json, sys\ndata = json.load(sys.stdin)\nresult = None\n${script}\nprint(json.dumps(result))`;
  const run = spawnSync(DEBIAN_PYTHON, ['-c', program], {
    input: JSON.stringify(data),
    encoding: 'utf8',
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(`python3 failed (${String(run.status)}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
