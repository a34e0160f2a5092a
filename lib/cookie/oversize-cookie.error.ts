/** A `Set-Cookie` header over `MAX_COOKIE_SIZE`, which browsers silently drop. */
export class OversizeCookieError extends Error {
  override readonly name = 'OversizeCookieError';
  constructor(
    readonly cookieName: string,
    readonly size: number,
    readonly limit: number,
    readonly valueSize: number,
  ) {
    super(
      `The '${cookieName}' cookie is too large: the value was ${valueSize} bytes but the header required ` +
        `${size - valueSize} extra bytes. The final size was ${size} bytes but the limit is ${limit} bytes. ` +
        'Browsers may silently ignore cookies larger than this. Store less in the session, or move it server-side ' +
        '(RedisSessionInterface); MAX_COOKIE_SIZE sets the limit (0 disables the check).',
    );
  }
}
