import {
  EncryptedCookieSessionInterface,
  SecureCookieSessionInterface,
  type CookieSessionInterface,
  type SessionModuleOptions,
} from 'nest-flask-session';
import { PLATFORMS, type Platform } from './create-app.js';

/** The cookie interfaces the e2e suites run against: Flask's signed cookies and encrypted cookies. */
export const COOKIE_INTERFACES = ['signed', 'encrypted'] as const;
export type CookieKind = (typeof COOKIE_INTERFACES)[number];

const classes = { signed: SecureCookieSessionInterface, encrypted: EncryptedCookieSessionInterface } as const;

/** The module option choosing the interface, and an instance to write and read its cookies in tests. */
export function cookieInterface(kind: CookieKind): {
  option: Pick<SessionModuleOptions, 'sessionInterface'>;
  cookies: CookieSessionInterface;
} {
  return { option: { sessionInterface: classes[kind] }, cookies: new classes[kind]() };
}

/** Every platform with every cookie interface, for `describe.each(...)('... on %s with %s cookies')`. */
export const PLATFORM_COOKIE_INTERFACES: Array<[Platform, CookieKind]> = PLATFORMS.flatMap((platform) =>
  COOKIE_INTERFACES.map((kind): [Platform, CookieKind] => [platform, kind]),
);
