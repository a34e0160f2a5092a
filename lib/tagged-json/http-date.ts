const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Matched against the text with its surrounding whitespace trimmed first: the pattern then never
// has two whitespace runs next to each other, so no input makes it backtrack more than linearly.
const HTTP_DATE =
  /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(GMT|UTC|UT|Z|[+-]\d{4}))?$/;

/** Werkzeug's `http_date`: `Tue, 02 Jan 2024 03:04:05 GMT`, UTC, sub-seconds dropped. */
export function formatHttpDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new TypeError(`Cannot store the date ${String(date)}: Python datetimes span years 1 to 9999`);
  }
  return date.toUTCString();
}

/** Werkzeug's `parse_date` for RFC 822/1123 dates; null when the text is not a date, as Werkzeug. */
export function parseHttpDate(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  // `trim()` removes exactly what `\s` matches (WhiteSpace and LineTerminator).
  const match = HTTP_DATE.exec(text.trim());
  if (!match) return null;
  const [, day, monthName, yearText, hours, minutes, seconds, zone] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month < 0) return null;
  let year = Number(yearText);
  // Python's email.utils (under werkzeug's parse_date) reads any year below 100, "60" and
  // "0099" alike, as 2000-2068 or 1969-1999.
  if (year < 100) year += year > 68 ? 1900 : 2000;
  const time = new Date(0);
  time.setUTCFullYear(year, month, Number(day));
  time.setUTCHours(Number(hours), Number(minutes), Number(seconds ?? 0), 0);
  if (time.getUTCDate() !== Number(day)) return null;
  if (zone && /^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    time.setTime(time.getTime() - offset * 60000);
  }
  return time;
}
