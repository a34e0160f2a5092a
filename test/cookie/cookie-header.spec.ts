import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { readCookie } from '../../lib/cookie/index.js';
import { NodeSessionRequest } from '../../lib/http/index.js';
import { describeWithProgram, programWorks } from '../support/external-program.js';

const PYTHON = 'python3';
const werkzeugInstalled = programWorks(PYTHON, ['-c', 'from werkzeug.http import parse_cookie']);

/**
 * `parse_cookie(header).get(name)` for every pair, in one Python process. The header is the same
 * string on both sides: its bytes one character each (Latin-1), as a WSGI server hands it to
 * Werkzeug and Node's HTTP parser hands it to us; the value is Werkzeug's string as it is.
 */
function werkzeugGet(cases: Array<[string, string]>): Array<string | null> {
  const script = [
    'import json, sys',
    'from werkzeug.sansio.http import parse_cookie',
    'cases = json.load(sys.stdin)',
    'values = [parse_cookie(h).get(n) for h, n in cases]',
    'json.dump(values, sys.stdout)',
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
    // Octal escapes are bytes of UTF-8, decoded once unescaped (an invalid one becomes U+FFFD).
    expect(readCookie('session="\\303\\251t"', 'session')).toBe('ét');
    // The header holds bytes, one character each: 'é' sent as UTF-8 is the two characters 'Ã©'.
    const raw = Buffer.from('x=1; session="é\\073\\351"', 'utf8').toString('latin1');
    expect(readCookie(raw, 'session')).toBe('Ã©;\ufffd');
  });

  it('reads the header byte by byte, never decoded from UTF-8 first: only Latin-1 whitespace trims names', () => {
    const bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    // U+00A0 sent as UTF-8 (c2 a0) leaves 'Â' in the name: that pair is not `session`.
    expect(readCookie(bytes('session\u00a0=ATTACKER; session=VICTIM'), 'session')).toBe('VICTIM');
    expect(readCookie(bytes('\u2003session=ATTACKER; session=VICTIM'), 'session')).toBe('VICTIM');
    expect(readCookie(bytes('session=\u00a0VICTIM'), 'session')).toBe('Â\u00a0VICTIM');
    // The bytes a0 and 85 alone are Latin-1 whitespace, which Python's str.strip() removes.
    expect(readCookie('session\xa0=FIRST; session=SECOND', 'session')).toBe('FIRST');
    expect(readCookie('\x85session=FIRST\x85; session=SECOND', 'session')).toBe('FIRST');
    // An unquoted value is the bytes as they came.
    expect(readCookie('session=\xc3\xa9', 'session')).toBe('\xc3\xa9');
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
    // Headers are bytes, one character each, as both servers hold them: UTF-8 sequences (é,
    // U+00A0, U+2003, U+0085) and lone bytes, some of them Latin-1 whitespace (a0, 85).
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
        '\\303',
        ' ',
        '\t',
      ),
      fc.constantFrom(
        'eyJ.abc-_',
        '\xc3\xa9',
        '\xc2\xa0',
        '\xe2\x80\x83',
        '\xc2\x85',
        '\xa0',
        '\x85',
        '\x1f',
        '\xff',
        '\xc3',
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
      const mismatches = cases
        .map(([value, name], index) => ({
          value,
          name,
          ours: readCookie(value, name) ?? null,
          werkzeug: expected[index],
        }))
        .filter((result) => result.ours !== result.werkzeug);
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  },
);
