/** Walks an error and its causes (drivers and Drizzle wrap each other) for a PostgreSQL error field. */
function findPgField(error: unknown, pick: (fields: { code?: unknown; constraint?: unknown; message?: unknown }) => boolean): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if (pick(current as { code?: unknown })) return true;
  }
  return false;
}

/** PostgreSQL's unique_violation on a given constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return findPgField(
    error,
    ({ code, constraint: name, message }) => code === '23505' && (name === constraint || (typeof message === 'string' && message.includes(constraint))),
  );
}

/** The statement was chosen as a deadlock victim; it changed nothing and can run again. */
export function isDeadlock(error: unknown): boolean {
  return findPgField(error, ({ code }) => code === '40P01');
}
