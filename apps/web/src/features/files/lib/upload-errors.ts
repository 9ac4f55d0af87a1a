import { formatFileSize } from './format-size';

/** The server's upload limit (docs: "Files"); a file over it is refused before it is sent. */
export const UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/** What a failed upload says under its name. */
export function uploadErrorMessage(status: number, serverMessage?: string, retryAfter?: number): string {
  if (status === 0) return 'Could not reach the server';
  if (status === 413) return `Too large: the limit is ${formatFileSize(UPLOAD_MAX_BYTES)}`;
  if (status === 429) return retryAfter ? `Too many uploads: try again in ${retryAfter} s` : 'Too many uploads: try again shortly';
  if (status >= 500) return 'The server could not store the file';
  return serverMessage || `Upload failed (${status})`;
}
