import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestSessionContextFor } from '../get-session.js';
import { loginManagerOf } from './login-binding.js';

const currentUserParam = createParamDecorator(
  async (_data: unknown, context: ExecutionContext): Promise<object | null> => {
    const manager = loginManagerOf(requestSessionContextFor(context));
    if (!manager) throw new Error('@CurrentUser() needs LoginModule.forRoot() in the application module.');
    return manager.currentUser(context);
  },
);

/**
 * The logged-in user (Flask-Login's `current_user`), or null for an anonymous request:
 * `@CurrentUser() user: User | null`. Loaded once per request through the app's `UserLoader`.
 */
export function CurrentUser(): ParameterDecorator {
  return currentUserParam();
}
