import { Injectable } from '@nestjs/common';
import { UserLoader } from 'nest-flask-session/flask-login';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  id: string;
  name: string;
  email: string;
}

interface StoredUser extends DemoUser {
  /** SHA-256 of the password. A real app would use a slow hash (scrypt, argon2). */
  passwordSha256: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The fixed demo accounts, printed on the login page. */
export const DEMO_CREDENTIALS: ReadonlyArray<{ username: string; password: string }> = [
  { username: 'alice', password: 'wonderland' },
  { username: 'bob', password: 'builder' },
];

const USERS: ReadonlyArray<StoredUser> = [
  { id: 'alice', name: 'Alice Liddell', email: 'alice@example.com', passwordSha256: sha256('wonderland') },
  { id: 'bob', name: 'Bob the Builder', email: 'bob@example.com', passwordSha256: sha256('builder') },
];

/**
 * A stand-in for a user table: look users up by id and check a password. It is also the app's
 * Flask-Login `user_loader` (`LoginModule.forRoot({ userLoader: UsersService })`).
 */
@Injectable()
export class UsersService extends UserLoader<DemoUser> {
  /** Flask-Login's `user_loader`: the user whose id is in `_user_id` or the remember-me cookie. */
  loadUser(userId: string): DemoUser | null {
    return this.findById(userId) ?? null;
  }

  /** Flask-Login's `get_id()`. */
  getId(user: DemoUser): string {
    return user.id;
  }

  findById(id: unknown): DemoUser | undefined {
    const user = USERS.find((candidate) => candidate.id === id);
    return user && { id: user.id, name: user.name, email: user.email };
  }

  /** The user whose username and password match, or undefined. */
  authenticate(username: unknown, password: unknown): DemoUser | undefined {
    if (typeof username !== 'string' || typeof password !== 'string') return undefined;
    const user = USERS.find((candidate) => candidate.id === username.trim().toLowerCase());
    // Compare fixed-length digests in constant time, and do the work even for unknown users.
    const expected = Buffer.from(user?.passwordSha256 ?? sha256('\0no such user'), 'hex');
    const given = Buffer.from(sha256(password), 'hex');
    return timingSafeEqual(expected, given) && user ? this.findById(user.id) : undefined;
  }
}
