import {
  EncryptedCookieSessionInterface,
  FlaskSessionRedisInterface,
  RedisSessionInterface,
  SecureCookieSessionInterface,
  type SessionInterface,
} from '../../lib/index.js';

/** Every session interface: Flask's signed cookies, encrypted cookies, Redis, and Flask-Session's Redis format. */
export const SESSION_KINDS = ['signed', 'encrypted', 'redis', 'flask-session'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** True for the interfaces that keep the data in a store (Redis), false for cookie sessions. */
export function isStoreKind(kind: SessionKind): boolean {
  return kind === 'redis' || kind === 'flask-session';
}

/** A fresh interface of that kind; the Redis ones connect to `redisUrl` under their own key prefix. */
export function sessionInterfaceOf(kind: SessionKind, redisUrl = ''): SessionInterface {
  const prefix = `test:${Math.random().toString(36).slice(2)}:`;
  switch (kind) {
    case 'signed':
      return new SecureCookieSessionInterface();
    case 'encrypted':
      return new EncryptedCookieSessionInterface();
    case 'redis':
      return new RedisSessionInterface({ url: redisUrl, prefix, commandTimeout: 2000 });
    case 'flask-session':
      return new FlaskSessionRedisInterface({ url: redisUrl, prefix, commandTimeout: 2000 });
  }
}

/** Closes the Redis connection of a store interface (cookie interfaces have none). */
export async function closeSessionInterface(sessionInterface: SessionInterface): Promise<void> {
  if (sessionInterface instanceof RedisSessionInterface) await sessionInterface.close();
}
