function headerValues(value: number | string | readonly string[]): readonly string[] {
  return Array.isArray(value) ? value : [String(value)];
}

/**
 * The `Vary` value with `field` added, or null when it is there already (compared
 * case-insensitively) or `*` covers it.
 */
export function addVaryField(existing: number | string | readonly string[] | undefined, field: string): string | null {
  if (existing === undefined || existing === '') return field;
  if (existing === field) return null;
  const current = headerValues(existing)
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  const wanted = field.toLowerCase();
  if (current.some((item) => item === '*' || item.toLowerCase() === wanted)) return null;
  return [...current, field].join(', ');
}
