import { sessionJsonSerializer, type Markup } from 'nest-flask-session/tagged-json';
import { html } from './html.js';
import type { SampleSession } from './sample-session.js';

/** Days, hours or minutes, for the "expires after" lines. */
export function describeSeconds(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * The session's data as the cookie carries it: Flask's tagged JSON (tuples as `{" t": [...]}`,
 * Markup as `{" m": "..."}`), indented for reading.
 */
export function sessionAsJson(session: SampleSession): string {
  const wire = sessionJsonSerializer.dumps(session.toJSON());
  try {
    return JSON.stringify(JSON.parse(wire), null, 2);
  } catch {
    // Python-only spellings (NaN, Infinity) that JSON.parse refuses: show the wire text as is.
    return wire;
  }
}

/** A card describing the cookie's lifetime and its current contents. */
export function sessionCard(session: SampleSession, lifetimeSeconds: number): Markup {
  return html`<section class="card" id="session-card">
    <h2>Your session cookie</h2>
    <p id="session-kind">
      ${
        session.permanent
          ? html`<strong>Permanent</strong> (“remember me”): the cookie has an <code>Expires</code> date
              ${describeSeconds(lifetimeSeconds)} ahead, pushed forward on every request.`
          : html`<strong>Browser session</strong>: the cookie has no <code>Expires</code> date and goes away when the
              browser closes.`
      }
    </p>
    <p class="muted">
      The cookie is signed with <code>SECRET_KEY</code> (a Flask app with the same key reads it), not encrypted: anyone
      holding it can read what is below. This is the JSON inside it, in Flask's tagged format:
    </p>
    <pre id="session-json"><code>${sessionAsJson(session)}</code></pre>
  </section>`;
}
