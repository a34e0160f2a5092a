import { Markup } from 'nest-flask-session/tagged-json';

/**
 * A tagged template that escapes every interpolated value, as Jinja's autoescape does: strings
 * (and anything else) go through `Markup.escape`, `Markup` values are inserted as they are, and
 * arrays are joined after escaping each item. The result is `Markup`, so templates nest.
 *
 *     html`<p>Hello, ${name}</p>`   // name = '<script>' → <p>Hello, &lt;script&gt;</p>
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(out);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return Markup.escape(value).toString();
}
