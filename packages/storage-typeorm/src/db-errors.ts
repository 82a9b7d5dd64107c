/** Recognising driver errors the storage turns into outcomes. */

function driverErrorOf(error: unknown): { code?: unknown; errno?: unknown } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driverError = (error as { driverError?: unknown }).driverError ?? error;
  return typeof driverError === 'object' && driverError !== null ? (driverError as { code?: unknown; errno?: unknown }) : undefined;
}

/** True when a query failed on a primary key or unique index (PostgreSQL, MySQL/MariaDB, SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const e = driverErrorOf(error);
  if (!e) return false;
  return (
    e.code === '23505' ||
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062 ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
