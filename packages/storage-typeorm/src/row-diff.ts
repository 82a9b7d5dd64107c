/** The difference between the rows stored for an instance and the rows its new record implies. */

/** Rows to delete and rows to insert; rows in both (same key, same content) are left untouched. */
export interface RowDiff<S, D> {
  deletes: S[];
  inserts: D[];
}

/**
 * Compares by key: a stored row whose key is not desired any more, or whose content changed, is
 * deleted; a desired row not stored as it is, is inserted. Unchanged rows keep their lease.
 */
export function diffRows<S, D>(
  stored: readonly S[],
  desired: readonly D[],
  keyOfStored: (row: S) => string,
  keyOfDesired: (row: D) => string,
  same: (stored: S, desired: D) => boolean,
): RowDiff<S, D> {
  const byKey = new Map<string, S>();
  for (const row of stored) byKey.set(keyOfStored(row), row);
  const deletes: S[] = [];
  const inserts: D[] = [];
  const kept = new Set<string>();
  for (const row of desired) {
    const key = keyOfDesired(row);
    const old = byKey.get(key);
    if (old !== undefined && same(old, row)) {
      kept.add(key);
      continue;
    }
    inserts.push(row);
  }
  for (const [key, row] of byKey) if (!kept.has(key)) deletes.push(row);
  return { deletes, inserts };
}
