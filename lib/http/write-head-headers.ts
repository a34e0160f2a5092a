import { addVaryField } from './vary.js';

/** What a session wrote to a response: its `Set-Cookie` lines and the `Vary` fields it added. */
export interface WrittenSessionHeaders {
  readonly setCookies: readonly string[];
  readonly varyFields: readonly string[];
}

/**
 * The arguments of a `writeHead(status[, message][, headers])` call with the session's headers
 * kept: Node lets headers given there replace those set before (`Set-Cookie`, `Vary`), which
 * would drop the session cookie (or a logout's deletion) and `Vary: Cookie`. The session's
 * `Set-Cookie` lines the call does not repeat are sent before the call's own, and its `Vary`
 * fields are added to the call's `Vary`. Calls without those headers are returned as they are.
 */
export function keepSessionHeaders(args: unknown[], written: WrittenSessionHeaders): unknown[] {
  if (written.setCookies.length === 0 && written.varyFields.length === 0) return args;
  const index = typeof args[1] === 'string' ? 2 : 1;
  const headers = args[index];
  if (headers === null || typeof headers !== 'object') return args;
  const merged = Array.isArray(headers)
    ? mergeList(headers, written)
    : mergeObject(headers as Record<string, unknown>, written);
  if (merged === headers) return args;
  const result = [...args];
  result[index] = merged;
  return result;
}

function isSetCookie(name: unknown): boolean {
  return typeof name === 'string' && name.toLowerCase() === 'set-cookie';
}

function isVary(name: unknown): boolean {
  return typeof name === 'string' && name.toLowerCase() === 'vary';
}

function asLines(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** The session's lines the app's own do not already hold (each of the app's lines counts once). */
function missingLines(own: readonly string[], session: readonly string[]): string[] {
  const remaining = [...own];
  const missing: string[] = [];
  for (const line of session) {
    const at = remaining.indexOf(line);
    if (at === -1) missing.push(line);
    else remaining.splice(at, 1);
  }
  return missing;
}

function withVaryFields(value: unknown, fields: readonly string[]): unknown {
  let vary = value as number | string | string[] | undefined;
  for (const field of fields) vary = addVaryField(vary, field) ?? vary;
  return vary;
}

/** `{ name: value }` headers: Node sets each in turn, so the last of a name (in any case) counts. */
function mergeObject(headers: Record<string, unknown>, written: WrittenSessionHeaders): Record<string, unknown> {
  const names = Object.keys(headers);
  const setCookieName = names.filter(isSetCookie).pop();
  const varyName = names.filter(isVary).pop();
  const missing = setCookieName === undefined ? [] : missingLines(asLines(headers[setCookieName]), written.setCookies);
  const vary = varyName === undefined ? undefined : withVaryFields(headers[varyName], written.varyFields);
  if (missing.length === 0 && (varyName === undefined || vary === headers[varyName])) return headers;
  const result: Record<string, unknown> = {};
  for (const name of names) {
    if (isSetCookie(name) && name !== setCookieName) continue;
    if (isVary(name) && name !== varyName) continue;
    result[name] = headers[name];
  }
  if (setCookieName !== undefined) result[setCookieName] = [...missing, ...asLines(headers[setCookieName])];
  if (varyName !== undefined) result[varyName] = vary;
  return result;
}

/**
 * `[name, value, name, value, ...]` headers. Node 20 sets each pair in turn (the last of a name
 * wins), later versions append them all: the pairs of each name are folded into one, holding the
 * session's lines too, so every version sends them all.
 */
function mergeList(headers: unknown[], written: WrittenSessionHeaders): unknown[] {
  const own: string[] = [];
  const varyValues: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (isSetCookie(headers[i])) own.push(...asLines(headers[i + 1]));
    else if (isVary(headers[i])) varyValues.push(...asLines(headers[i + 1]));
  }
  const hasSetCookie = headers.some((name, i) => i % 2 === 0 && isSetCookie(name));
  const hasVary = varyValues.length > 0;
  if (!hasSetCookie && !hasVary) return headers;
  const result: unknown[] = [];
  let setCookieDone = false;
  let varyDone = false;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i];
    if (isSetCookie(name)) {
      if (!setCookieDone) result.push(name, [...missingLines(own, written.setCookies), ...own]);
      setCookieDone = true;
    } else if (isVary(name)) {
      if (!varyDone) result.push(name, withVaryFields(varyValues.join(', '), written.varyFields));
      varyDone = true;
    } else result.push(name, headers[i + 1]);
  }
  return result;
}
