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

/** The `python3` on PATH (pyenv's), with Flask 3.1, Flask-Login 0.6.3 and Flask-WTF 1.3 pip-installed by .ci/run. */
export const PIP_PYTHON = 'python3';

export const flaskLoginWtfInstalled = programWorks(PIP_PYTHON, [
  '-c',
  'import flask_login, flask_wtf; assert flask_login.__version__ == "0.6.3" and flask_wtf.__version__.startswith("1.3")',
]);

export const FLASK_LOGIN_WTF_HINT = 'python3 -m pip install flask-login==0.6.3 "flask-wtf==1.3.*"';

/** {@link runPython} with the pip-installed Python ({@link PIP_PYTHON}). */
export function runPipPython<T>(script: string, data: unknown = null): T {
  const program = `import json, sys\ndata = json.load(sys.stdin)\nresult = None\n${script}\nprint(json.dumps(result))`;
  const run = spawnSync(PIP_PYTHON, ['-c', program], { input: JSON.stringify(data), encoding: 'utf8', timeout: 60000 });
  if (run.status !== 0) throw new Error(`python3 failed (${String(run.status)}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
