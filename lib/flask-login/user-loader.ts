/**
 * Flask-Login's `user_loader`, as a provider the app supplies
 * (`LoginModule.forRoot({ userLoader: UsersLoader })`, or `overrideProvider(UserLoader)` in tests).
 */
export abstract class UserLoader<U extends object = object> {
  /** The user whose id is stored in `_user_id` (or in the remember-me cookie); null when there is none. */
  abstract loadUser(userId: string): U | null | undefined | Promise<U | null | undefined>;

  /** Flask-Login's `get_id()`: the id to store in `_user_id`, a string as Flask-Login expects. */
  abstract getId(user: U): string;

  /** Flask-Login's `is_active`: an inactive user is not logged in unless the login is forced. */
  isActive(_user: U): boolean {
    return true;
  }
}
