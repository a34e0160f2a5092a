const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&#34;' };

/**
 * HTML that is safe to insert as is (markupsafe's `Markup`, tag `' m'`). The constructor does not
 * escape; {@link Markup.escape} does. Any object with an `__html__()` method is tagged the same way.
 */
export class Markup {
  constructor(readonly value: string) {}

  /** Escapes `& < > ' "` as markupsafe does; Markup passes through unchanged. */
  static escape(text: unknown): Markup {
    if (text instanceof Markup) return text;
    return new Markup(String(text).replace(/[&<>'"]/g, (char) => HTML_ESCAPES[char]!));
  }

  __html__(): string {
    return this.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
