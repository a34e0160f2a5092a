/** A configuration value that cannot be used; the message names the key. */
export class SessionConfigError extends Error {
  override readonly name = 'SessionConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`Invalid session configuration: ${key} ${message}`);
  }
}
