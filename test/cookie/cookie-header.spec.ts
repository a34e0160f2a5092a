import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { readCookie } from '../../lib/cookie/index.js';
import { NodeSessionRequest } from '../../lib/http/index.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';

const PYTHON = 'python3';
const werkzeugInstalled = programWorks(PYTHON, ['-c', 'from werkzeug.http import parse_cookie']);

/**
 * `parse_cookie(header).get(name)` for every pair, in one Python process: the header as Werkzeug
 * sees it (decoded from UTF-8), the value back as its UTF-8 bytes in Latin-1, as Node sees bytes.
 */
function werkzeugGet(cases: Array<[string, string]>): Array<string | null> {
  const script = [
    'import json, sys',
    'from werkzeug.sansio.http import parse_cookie',
    'cases = json.load(sys.stdin)',
    'values = [parse_cookie(h).get(n) for h, n in cases]',
    "json.dump([None if v is None else v.encode().decode('latin1') for v in values], sys.stdout)",
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 60000 });
  if (run.status !== 0) throw new Error(`werkzeug failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Array<string | null>;
}

describe('readCookie (Werkzeug parse_cookie rules)', () => {
  const cookie = 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.-WtagSpGXQZzpgvpU8WbolHrlDs';

  it('a quoted value hides the ; inside it: the real session cookie is the later one', () => {
    expect(readCookie('x="a; session=EVIL; y="; session=GOOD', 'session')).toBe('GOOD');
    expect(readCookie('x="a; session=EVIL; y="; session=GOOD', 'x')).toBe('a; session=EVIL; y=');
  });

  it('a quoted session cookie is unquoted', () => {
    expect(readCookie(`session="${cookie}"`, 'session')).toBe(cookie);
    expect(readCookie(`other=1;  session = "${cookie}" ; z=2`, 'session')).toBe(cookie);
  });

  it('undoes backslash and octal escapes inside quotes', () => {
    expect(readCookie('session="a\\073b\\"c\\\\d"', 'session')).toBe('a;b"c\\d');
    // Octal escapes are bytes; Node's header strings hold one character per byte.
    expect(Buffer.from(readCookie('session="\\303\\251t"', 'session')!, 'latin1').toString('utf8')).toBe('ét');
    const raw = Buffer.from('x=1; session="é\\073\\351"', 'utf8').toString('latin1');
    expect(Buffer.from(readCookie(raw, 'session')!, 'latin1').toString('utf8')).toBe('é;\ufffd');
  });

  it('the first cookie of a name counts; names and values are trimmed; a bare name is empty', () => {
    expect(readCookie('session=first; session=second', 'session')).toBe('first');
    expect(readCookie(' \tsession \t=  v1 ;', 'session')).toBe('v1');
    expect(readCookie('a; session', 'session')).toBe('');
    expect(readCookie('a=1', 'session')).toBeUndefined();
    expect(readCookie(undefined, 'session')).toBeUndefined();
    expect(readCookie('', 'session')).toBeUndefined();
  });

  it('values are never URI-decoded', () => {
    expect(readCookie('session=a%3Bb+c', 'session')).toBe('a%3Bb+c');
  });

  it('a quote that does not close the value before the next ; falls back to reading up to it', () => {
    expect(readCookie('session="abc"def; x=1', 'session')).toBe('"abc"def');
    expect(readCookie('session="abc; x=1', 'session')).toBe('"abc');
  });

  it('is what NodeSessionRequest.getCookie answers', () => {
    const request = new NodeSessionRequest({ headers: { cookie: 'x="a; session=EVIL"; session=GOOD' } } as never);
    expect(request.getCookie('session')).toBe('GOOD');
  });
});

describeWithProgram(
  'readCookie agrees with real werkzeug',
  werkzeugInstalled,
  'python3 with werkzeug (pip install flask)',
  () => {
    // Headers built from the characters that matter to the grammar, with realistic pieces mixed in.
    const piece = fc.oneof(
      fc.constantFrom(
        'session',
        'x',
        'a',
        '=',
        ';',
        '; ',
        '"',
        '\\',
        '\\"',
        '\\073',
        '\\042',
        '\\351',
        ' ',
        '\t',
        'eyJ.abc-_',
        'é',
        '\xa0',
        '\x1f',
        ',',
      ),
      fc.string({ unit: fc.constantFrom('a', 'b', '=', ';', '"', '\\', ' ', '0', '7', '3'), maxLength: 6 }),
    );
    const header = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));

    it('on 3,000 generated headers, for several names', () => {
      const headers = fc.sample(header, { numRuns: 3000, seed: 20261130 });
      const cases: Array<[string, string]> = [];
      for (const value of headers) for (const name of ['session', 'x', 'a']) cases.push([value, name]);
      const expected = werkzeugGet(cases);
      // Node hands us the header's UTF-8 bytes as a Latin-1 string.
      const asNodeSeesIt = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
      const mismatches = cases
        .map(([value, name], index) => ({
          value,
          name,
          ours: readCookie(asNodeSeesIt(value), name) ?? null,
          werkzeug: expected[index],
        }))
        .filter((result) => result.ours !== result.werkzeug);
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  },
);
