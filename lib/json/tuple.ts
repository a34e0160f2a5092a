/**
 * Python's `tuple`, which Flask's tagged JSON keeps apart from `list` (tag `' t'`). An `Array`,
 * so everything that reads arrays reads it; build one with `Tuple.of(...)` or `Tuple.from(...)`.
 */
export class Tuple<T = unknown> extends Array<T> {
  get [Symbol.toStringTag](): string {
    return 'Tuple';
  }
}
