import { randomUUID } from 'node:crypto';

const HEX32 = /^[0-9a-f]{32}$/;

/** Python's `uuid.UUID` (tag `' u'`, written as 32 hex digits without dashes). */
export class UUID {
  /** 32 lowercase hex digits. */
  readonly hex: string;

  /** Accepts what Python's `UUID(str)` does: dashes, braces, a `urn:uuid:` prefix, any case. */
  constructor(text: string) {
    if (typeof text !== 'string') throw new TypeError('UUID needs a string');
    const hex = text
      .toLowerCase()
      .replace(/^urn:/, '')
      .replace(/^uuid:/, '')
      .replace(/^\{|\}$/g, '')
      .replaceAll('-', '');
    if (!HEX32.test(hex)) throw new TypeError(`badly formed hexadecimal UUID string: '${text}'`);
    this.hex = hex;
  }

  static random(): UUID {
    return new UUID(randomUUID());
  }

  equals(other: unknown): boolean {
    return other instanceof UUID && other.hex === this.hex;
  }

  /** The canonical `8-4-4-4-12` form. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
