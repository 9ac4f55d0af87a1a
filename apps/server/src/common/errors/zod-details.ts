import type { ErrorDetail } from '@chat/shared';
import { ZodError } from 'zod';

/** Turns zod issues into the `details` of the error shape: one entry per invalid field. */
export function zodDetails(error: unknown): ErrorDetail[] {
  if (!(error instanceof ZodError)) return [];
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
