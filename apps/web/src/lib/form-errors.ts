import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api-client';

/**
 * Puts server-side validation `details` under the matching inputs. Returns true if at least one
 * detail matched a field, so callers know whether a form-level message is still needed.
 */
export function applyServerFieldErrors<T extends FieldValues>(error: ApiError, fields: readonly Path<T>[], setError: UseFormSetError<T>): boolean {
  let applied = false;
  for (const detail of error.details) {
    const field = fields.find((name) => name === detail.path);
    if (!field) continue;
    setError(field, { type: 'server', message: detail.message }, { shouldFocus: !applied });
    applied = true;
  }
  return applied;
}

export function retryAfterMessage(seconds: number | undefined): string {
  const minutes = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/** The message for failures no form handles specially. */
export function genericErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.isNetworkError) return "Can't reach the server. Check your connection and try again.";
  if (error instanceof ApiError && error.status === 429) return retryAfterMessage(error.retryAfter);
  return 'Something went wrong. Please try again.';
}
