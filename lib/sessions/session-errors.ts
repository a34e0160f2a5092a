/** Python's `KeyError`: a required key is missing (`pop` without a default, `popitem` on empty). */
export class KeyError extends Error {
  override readonly name = 'KeyError';
  constructor(
    readonly key: string | undefined,
    message = key === undefined ? 'dictionary is empty' : `'${key}'`,
  ) {
    super(message);
  }
}

/**
 * Thrown by every write to a {@link NullSession}: the application has no `SECRET_KEY`, so there
 * is nothing to sign a session with. Flask raises a `RuntimeError` with the same meaning.
 */
export class SessionUnavailableError extends Error {
  override readonly name = 'SessionUnavailableError';
  constructor() {
    super(
      'The session is unavailable because no secret key was set. Set SECRET_KEY to something unique ' +
        'and secret: in the environment or .env (SECRET_KEY=...), or in SessionModule.forRoot({ SECRET_KEY: ... }).',
    );
  }
}
