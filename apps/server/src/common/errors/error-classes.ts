/**
 * What kind of failure an error is, decided once for the HTTP filter and the socket mapper alike.
 * Drivers and Drizzle wrap each other, so every test looks through the chain of causes.
 */

/** True when `error` or one of its causes (up to 5 deep) satisfies `test`. */
function anyCause(error: unknown, test: (fields: { code?: unknown; constraint?: unknown; message?: unknown; name?: unknown }) => boolean): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (test(current)) return true;
  }
  return false;
}

/** SQLSTATE class 22 (data exception: bad encoding, NUL byte, out of range): the input was at fault. */
export function isDataException(error: unknown): boolean {
  return anyCause(error, ({ code }) => typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code));
}

const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);
const UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|connection is closed|Command timed out|max retries per request|Stream isn't writeable/i;

/**
 * True when the database or Redis could not be reached or answered in time (SQLSTATE class 08,
 * shutdown 57P01-57P03, too many connections 53300, socket errors, client timeouts). These are
 * answered 503 with Retry-After (SERVICE_UNAVAILABLE on sockets): the request may be retried.
 */
export function isInfrastructureUnavailable(error: unknown): boolean {
  return anyCause(error, ({ code, message, name }) => {
    if (typeof code === 'string' && (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '57014'].includes(code) || UNAVAILABLE_ERRNOS.has(code)))
      return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}

/** PostgreSQL's unique_violation on a given constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return anyCause(
    error,
    ({ code, constraint: name, message }) => code === '23505' && (name === constraint || (typeof message === 'string' && message.includes(constraint))),
  );
}

/** The statement was chosen as a deadlock victim; it changed nothing and can run again. */
export function isDeadlock(error: unknown): boolean {
  return anyCause(error, ({ code }) => code === '40P01');
}
