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

/**
 * Where a session method that acts on the store right away (`regenerate()`, `destroy()`) sends a
 * {@link SessionStoreUnavailableError} before throwing: the layer that owns the request sets it
 * on the session it hands out and returns the error the caller should get (the Nest layer: a
 * 503 it logs once per request). Without it the method throws the store error itself.
 */
export const STORE_FAILURE_HANDLER = Symbol('nest-flask-session.storeFailureHandler');

/** The function behind {@link STORE_FAILURE_HANDLER}; `action` names the method, as `regenerate()`. */
export type StoreFailureHandler = (error: SessionStoreUnavailableError, action: string) => Error;
