import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { freePort } from './free-port.js';

/** A Python web app on 127.0.0.1 started by a test. */
export interface PythonServer {
  child: ChildProcess;
  base: string;
}

/**
 * Runs `python script PORT ...args` on a free port; resolves once the script prints "ready".
 * The scripts take the port as their first argument.
 */
export async function startPythonServer(
  python: string,
  script: string,
  args: readonly string[],
): Promise<PythonServer> {
  const port = await freePort();
  const name = basename(script);
  const child = spawn(python, [script, String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${stderr}`)), 20000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${stderr}`));
    });
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

export async function stopPythonServer({ child }: PythonServer): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** One cookie jar for every origin on 127.0.0.1, as a browser keeps it (ports do not matter). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The value the jar holds for a cookie, if any. */
  value(name: string): string | undefined {
    return this.cookies.get(name);
  }

  store(response: Response): string[] {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const [pair] = line.split(';', 1);
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      const expired = /;\s*Max-Age=0/i.test(line) || /;\s*Expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }

  async get(base: string, path: string): Promise<{ status: number; text: string; setCookies: string[] }> {
    return this.request(base, path);
  }

  /** Forgets a cookie, as a browser drops a session cookie when it closes. */
  drop(name: string): void {
    this.cookies.delete(name);
  }

  /** Any request with the jar's cookies (plus `headers`); a `form` is sent URL-encoded. */
  async request(
    base: string,
    path: string,
    options: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string; setCookies: string[]; location: string | null }> {
    const cookie = this.header();
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...options.headers };
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(`${base}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body,
      redirect: 'manual',
    });
    const setCookies = this.store(response);
    return {
      status: response.status,
      text: await response.text(),
      setCookies,
      location: response.headers.get('location'),
    };
  }
}
