import type { ByteRange } from '../../infra/storage/file-storage';
import { PLAIN_TEXT } from './mime-sniffing';

/** Images a browser only ever paints; everything else downloads as an attachment. */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** Files never change, but access can end (leaving a conversation): a day in the user's own cache. */
export const FILE_MAX_AGE_SECONDS = 86_400;

export interface ServedFile {
  id: string;
  name: string;
  size: number;
  mimeType: string;
}

export const dispositionOf = (mimeType: string): 'inline' | 'attachment' => (INLINE_IMAGE_TYPES.has(mimeType) ? 'inline' : 'attachment');

/** A strong validator: a file's bytes never change once stored, so its id names them. */
export const etagOf = (fileId: string) => `"${fileId}"`;

export const contentTypeOf = (mimeType: string) => (mimeType === PLAIN_TEXT ? `${PLAIN_TEXT}; charset=utf-8` : mimeType);

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266). */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Headers of every answer carrying a file's bytes (200, 206) or confirming them (304). */
export function fileHeaders(file: ServedFile): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(file.mimeType),
    'Content-Disposition': contentDisposition(dispositionOf(file.mimeType), file.name),
    'X-Content-Type-Options': 'nosniff',
    // Opened directly, the file is a sandboxed document that may load nothing and run nothing.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': `private, max-age=${FILE_MAX_AGE_SECONDS}`,
    ETag: etagOf(file.id),
    'Accept-Ranges': 'bytes',
  };
}

/** True when an If-None-Match header names this ETag (or is `*`); weak comparison, as RFC 9110 asks. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * The one byte range of a Range header: null to serve the whole file (no header, another unit,
 * several ranges, a malformed one, or an If-Range that no longer matches), 'unsatisfiable' for a
 * range wholly past the end (416).
 */
export function parseRange(header: string | undefined, size: number, ifRange?: string, etag?: string): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  if (ifRange !== undefined && ifRange.trim() !== etag) return null;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
