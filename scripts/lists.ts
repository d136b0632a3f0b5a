// Lists whose length the repository decides. `list.push(...items)` and `Math.max(...items)` pass every
// item as an argument, and past about 120,000 arguments V8 throws "Maximum call stack size exceeded":
// a loose file of 150,000 documents, a ConfigMap value of 200,000 `key=value` lines or a container
// with 200,000 args crashed the run that way. test/lists.test.ts keeps such spreads out of scripts/.

/** Appends every item to `target`, in order, and returns it: `target.push(...items)` for any length. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, `Math.max(...values)` for any length: -Infinity for none, NaN if one is NaN. */
export function largest(values: Iterable<number>): number {
  let most = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return NaN;
    if (value > most) most = value;
  }
  return most;
}

/** The smallest of `values`, `Math.min(...values)` for any length: Infinity for none, NaN if one is NaN. */
export function smallest(values: Iterable<number>): number {
  let least = Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return NaN;
    if (value < least) least = value;
  }
  return least;
}
