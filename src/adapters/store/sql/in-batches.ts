// Splits long lists of rows into batches small enough for one statement on every dialect (SQLite and
// PostgreSQL cap the bound parameters of a statement); adapter layer.

/** The items in order, `size` at a time; nothing for an empty list. */
export const inBatches = <T>(items: readonly T[], size: number): readonly (readonly T[])[] => {
  const batches: T[][] = []
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size))
  }
  return batches
}
