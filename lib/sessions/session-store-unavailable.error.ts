/**
 * A server-side session store could not be reached in time. The Nest layer answers 503 and logs
 * the cause rather than handing out an empty session that would log the user out.
 */
export class SessionStoreUnavailableError extends Error {
  override readonly name = 'SessionStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
