/** A method a subclass must provide (Python's `NotImplementedError`). */
export class NotImplementedError extends Error {
  override readonly name = 'NotImplementedError';
}
