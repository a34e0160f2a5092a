/**
 * Reads one cookie from a `Cookie` header as Flask's `request.cookies.get(name)` does
 * (`werkzeug.http.parse_cookie` over the WSGI header string), so that a Flask app and a Nest app
 * sharing a cookie jar pick the same session from the same bytes:
 * - the header is read as Node and WSGI servers hold it, one character per byte (Latin-1): it is
 *   never decoded from UTF-8 first, so `\xc2\xa0` is two characters and only the second, U+00A0,
 *   counts as whitespace when names and values are trimmed;
 * - a value in double quotes may contain `;` and runs to its closing quote (`x="a; session=EVIL"`
 *   is one cookie, `x`), and its backslash escapes (`\"`, `\073`) are undone;
 * - pairs are split on `;`, names and values are trimmed (Python's `str.strip()`), a pair without
 *   `=` has an empty value;
 * - the first cookie of a name counts.
 * The value is the string Flask sees: an unquoted value as it came (one character per byte), a
 * quoted one with its escapes undone on its UTF-8 bytes and decoded from UTF-8, as Werkzeug does.
 * One pass over the header, no allocation but the value returned.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  return unquote(findValue(header, name));
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The trimmed value of the first cookie called `name`, quotes still on, or undefined. */
function findValue(header: string, name: string): string | undefined {
  const length = header.length;
  let position = 0;
  while (position < length) {
    const keyStart = position;
    let code = header.charCodeAt(position);
    while (position < length && code !== EQUALS && code !== SEMICOLON) code = header.charCodeAt(++position);
    const keyEnd = position;
    let valueStart = position;
    let valueEnd = position;
    if (code === EQUALS) {
      position = skipSpaces(header, position + 1);
      valueStart = position;
      const quotedEnd = header.charCodeAt(position) === QUOTE ? quotedValueEnd(header, position) : -1;
      if (quotedEnd !== -1) {
        valueEnd = quotedEnd;
        position = skipSpaces(header, quotedEnd);
      } else {
        position = header.indexOf(';', position);
        if (position === -1) position = length;
        valueEnd = position;
      }
    }
    // Now at the `;` that ends the pair, or at the end.
    position++;
    if (matchesTrimmed(header, keyStart, keyEnd, name)) return trimmed(header, valueStart, valueEnd);
  }
  return undefined;
}

const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Python's `re.ASCII` `\s`: space, \t, \n, \v, \f, \r. */
function isRegexSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** Python's `str.strip()` whitespace (`str.isspace`). */
function isStripSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function skipSpaces(header: string, position: number): number {
  while (position < header.length && isRegexSpace(header.charCodeAt(position))) position++;
  return position;
}

/**
 * Where a quoted value that starts at `start` ends (just past its closing quote), when only
 * spaces stand between that quote and the next `;` or the end; -1 otherwise, and the value is
 * then read unquoted up to the next `;`, as Werkzeug's pattern falls back to.
 */
function quotedValueEnd(header: string, start: number): number {
  const length = header.length;
  let position = start + 1;
  while (position < length) {
    const code = header.charCodeAt(position);
    if (code === QUOTE) break;
    // `\\.`: a backslash takes the next character (any but a line break) with it.
    if (code === BACKSLASH) {
      const next = header.charCodeAt(position + 1);
      if (position + 1 >= length || next === 0x0a) return -1;
      position += 2;
      continue;
    }
    position++;
  }
  if (position >= length) return -1;
  const end = position + 1;
  const after = skipSpaces(header, end);
  return after === length || header.charCodeAt(after) === SEMICOLON ? end : -1;
}

function matchesTrimmed(header: string, start: number, end: number, name: string): boolean {
  while (start < end && isStripSpace(header.charCodeAt(start))) start++;
  while (end > start && isStripSpace(header.charCodeAt(end - 1))) end--;
  return end - start === name.length && header.startsWith(name, start);
}

// `\ooo` (an octal byte) or a backslash and any one character but a line break.
const ESCAPE = /\\([0-3][0-7]{2}|[^\n])/g;

function trimmed(header: string, start: number, end: number): string {
  while (start < end && isStripSpace(header.charCodeAt(start))) start++;
  while (end > start && isStripSpace(header.charCodeAt(end - 1))) end--;
  return header.slice(start, end);
}

/**
 * Removes the quotes around a value and undoes its escapes on the UTF-8 bytes of what is inside,
 * then decodes those bytes (a sequence that is not UTF-8 becomes U+FFFD), as Werkzeug does.
 */
function unquote(value: string | undefined): string | undefined {
  if (
    value === undefined ||
    value.length < 2 ||
    value.charCodeAt(0) !== QUOTE ||
    value.charCodeAt(value.length - 1) !== QUOTE
  ) {
    return value;
  }
  const inner = value.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  // One character per UTF-8 byte, so the escapes are undone on bytes.
  const bytes = NON_ASCII.test(inner) ? Buffer.from(inner, 'utf8').toString('latin1') : inner;
  const unescaped = bytes.replace(ESCAPE, (_match, escape: string) =>
    escape.length === 3 ? String.fromCharCode(parseInt(escape, 8)) : escape,
  );
  return NON_ASCII.test(unescaped) ? Buffer.from(unescaped, 'latin1').toString('utf8') : unescaped;
}
