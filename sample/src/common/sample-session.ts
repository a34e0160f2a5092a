import type { SecureCookieSession } from 'nest-flask-session';

/**
 * Everything this app keeps in the session cookie. Keys are snake_case because a Flask app
 * reading the same cookie sees exactly these names.
 */
export type SampleSessionData = {
  /** The logged-in user's id (`alice`, `bob`), as a Flask app without Flask-Login keeps it. */
  user_id?: string;
  /** Flask-Login's keys, written by `LoginManager`. */
  _user_id?: string;
  _fresh?: boolean;
  _id?: string;
  /** Flask-WTF's raw CSRF token. */
  csrf_token?: string;
  /** How many times the home page was viewed in this session. */
  visits?: number;
  /** Product id → quantity. Nested: changing it needs `session.modified = true`. */
  cart?: Record<string, number>;
  /** Where the login guard was going to send the user after logging in. */
  next?: string;
  /** Flask's permanent flag (set through `session.permanent`). */
  _permanent?: boolean;
};

export type SampleSession = SecureCookieSession<SampleSessionData>;
