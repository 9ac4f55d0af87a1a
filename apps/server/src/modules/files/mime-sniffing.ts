import type * as FileType from 'file-type' with { 'resolution-mode': 'import' };

/** How many leading bytes the type is read from (file-type's reasonable detection size). */
export const SNIFF_BYTES = 4100;
/** How much of the start of a file must be UTF-8 text for it to count as text/plain. */
const TEXT_WINDOW_BYTES = 1024;

export const OCTET_STREAM = 'application/octet-stream';
export const PLAIN_TEXT = 'text/plain';

/**
 * Types a browser may run as a document or script. file-type recognises few of them (XML), but
 * none is ever recorded: such a file is bytes to download, whatever it contains.
 */
const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'application/javascript',
  'text/javascript',
  'application/x-shockwave-flash',
]);

// file-type is ESM only and this server is CommonJS: loaded once with a real dynamic import.
let fileType: Promise<typeof FileType> | undefined;
const loadFileType = () => (fileType ??= import('file-type'));

/**
 * The type of a file from its first bytes, never from the client's Content-Type or extension.
 * What file-type knows (images, archives, media, office documents) is taken as it says, except the
 * active types above. Text it cannot tell apart (plain text, CSV, logs, HTML, SVG, scripts) is
 * text/plain when the first KB is valid UTF-8 without NUL bytes, so it is never served as markup;
 * anything else is application/octet-stream.
 */
export async function sniffMimeType(head: Buffer): Promise<string> {
  if (head.length === 0) return OCTET_STREAM;
  const { fileTypeFromBuffer } = await loadFileType();
  const detected = await fileTypeFromBuffer(head);
  if (detected) return ACTIVE_TYPES.has(detected.mime) ? OCTET_STREAM : detected.mime;
  return looksLikeText(head.subarray(0, TEXT_WINDOW_BYTES)) ? PLAIN_TEXT : OCTET_STREAM;
}

function looksLikeText(window: Buffer): boolean {
  if (window.includes(0)) return false;
  try {
    // stream: true tolerates a character cut at the end of the window.
    new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: true });
    return true;
  } catch {
    return false;
  }
}
