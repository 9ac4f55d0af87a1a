/** Longest display name, in bytes of UTF-8 (what most file systems allow). */
export const FILE_NAME_MAX_BYTES = 255;
const FALLBACK = 'file';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// C0/C1 controls and the bidirectional overrides and isolates that can disguise an extension
// ("invoice\u202Egnp.exe" reads as "invoiceexe.png").
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The client's file name made fit for display and Content-Disposition: its last path segment
 * (either separator), without control characters, trimmed, at most 255 bytes of UTF-8 (never
 * cutting a character), and "file" when nothing is left. Never used as a storage key.
 */
export function sanitizeFileName(raw: string | undefined | null): string {
  const lastSegment = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = lastSegment.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
  const name = truncateUtf8(cleaned, FILE_NAME_MAX_BYTES).trim();
  return name === '' || name === '.' || name === '..' ? FALLBACK : name;
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}
