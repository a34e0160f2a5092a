/**
 * The tagged-JSON `' d'` date parser (werkzeug.http.parse_date's RFC 822 dates, flask/json/tag.py
 * TagDateTime) runs in linear time: whitespace runs that a backtracking pattern would retry
 * quadratically (a 195-byte signed cookie inflates to a 256 KiB date) are read once. The dates it
 * accepts, surrounding whitespace included, are those Werkzeug accepts.
 */
import { parseHttpDate, sessionJsonSerializer } from '../../lib/tagged-json/index.js';
import { createSessionConfig } from '../../lib/config/index.js';
import { URLSafeTimedSerializer } from '../../lib/itsdangerous/index.js';
import { SecureCookieSessionInterface } from '../../lib/sessions/index.js';
import { describeWithProgram } from '../support/external-program.js';
import { fakeExchange } from '../support/fake-http.js';
import { passThroughSerializer } from '../support/flask-vectors.js';
import { DEBIAN_FLASK_HINT, debianFlaskInstalled, runPython } from '../support/python.js';

const RUN = 100_000;
const spaces = ' '.repeat(RUN);
// Shapes where whitespace runs meet: the old pattern retried each split of the run (~9 s each).
const HOSTILE = [
  `1 jan 2000 00:00${spaces}x`,
  `Sat, 01 Jan 2000 00:00:00 ${spaces}GMT${spaces}x`,
  `01 Jan 2000 00:00:00${'\t \n'.repeat(RUN / 3)}+0100${spaces}!`,
  `Sat,${spaces}01${spaces}Jan${spaces}2000${spaces}00:00${spaces}?`,
];
// Far above what linear work takes (about a millisecond per case), far below the old seconds.
const BOUND_MS = 1500;

describe('parseHttpDate runs in linear time', () => {
  it.each(HOSTILE.map((text, index) => [index, text]))('hostile text %i: rejected within the bound', (_index, text) => {
    const started = performance.now();
    expect(parseHttpDate(text)).toBeNull();
    expect(sessionJsonSerializer.loads(JSON.stringify({ ' d': text }))).toBeNull();
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });

  it('a date padded with long whitespace runs still parses, within the bound', () => {
    const started = performance.now();
    const date = parseHttpDate(`${spaces}Sat, 01 Jan 2000 00:00:00${spaces}+0100${spaces}`);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(date?.toISOString()).toBe('1999-12-31T23:00:00.000Z');
  });

  it('a small signed session cookie whose date inflates to a long whitespace run opens promptly as a date-less session', () => {
    const config = createSessionConfig({ SECRET_KEY: 'k' });
    const raw = new URLSafeTimedSerializer('k', {
      salt: 'cookie-session',
      keyDerivation: 'hmac',
      serializer: passThroughSerializer,
    });
    const cookie = raw.dumps(JSON.stringify({ when: { ' d': HOSTILE[0] } }));
    expect(cookie.length).toBeLessThan(400);
    const started = performance.now();
    const session = new SecureCookieSessionInterface().openSession(config, fakeExchange(`session=${cookie}`).request)!;
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(session.get('when')).toBeNull();
  });
});

describeWithProgram(
  'parseHttpDate accepts the dates werkzeug parse_date accepts',
  debianFlaskInstalled,
  DEBIAN_FLASK_HINT,
  () => {
    const texts = [
      'Sat, 01 Jan 2000 00:00:00 GMT',
      '  Sat, 01 Jan 2000 00:00:00 GMT  ',
      '\tSat, 01 Jan 2000 00:00:00 +0130\n',
      '01 Jan 2000 00:00 GMT',
      'Sat, 01 Jan 2000 00:00:00',
      'Sat, 01 Jan 2000 00:00:00   -0800   ',
      'Sat, 01 Jan 2000 00:00:00 GMT' + ' '.repeat(5000),
      ' '.repeat(5000) + 'Sat, 01 Jan 2000 00:00:00 GMT',
      'Sat, 31 Feb 2000 00:00:00 GMT',
      'not a date',
    ];
    const werkzeug = runPython<Array<number | null>>(
      'from werkzeug.http import parse_date\nresult = [None if (d := parse_date(t)) is None else d.timestamp() for t in data]',
      texts,
    );

    it.each(
      texts.map((text, index) => [
        JSON.stringify(text.length > 60 ? `${text.slice(0, 30)}…` : text),
        text,
        werkzeug[index]!,
      ]),
    )('%s', (_label, text, seconds) => {
      const date = parseHttpDate(text);
      expect(date === null ? null : date.getTime() / 1000).toBe(seconds);
    });
  },
);
