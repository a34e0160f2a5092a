/**
 * Python's `tuple`, which Flask's tagged JSON keeps apart from `list` (tag `' t'`). An `Array`,
 * so everything that reads arrays reads it; build one with `Tuple.of(...)` or `Tuple.from(...)`.
 */
export class Tuple<T = unknown> extends Array<T> {
  static override of<T>(...items: T[]): Tuple<T> {
    return Tuple.from(items);
  }

  static override from<T>(items: Iterable<T> | ArrayLike<T>): Tuple<T> {
    const tuple = new Tuple<T>();
    for (const item of Array.from(items)) tuple.push(item);
    return tuple;
  }

  get [Symbol.toStringTag](): string {
    return 'Tuple';
  }
}
