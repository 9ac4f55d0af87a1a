import { describe, expect, it } from 'vitest';
import { FILE_NAME_MAX_BYTES, sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it('keeps only the last path segment, whichever the separator', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ann\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('/absolute/path/photo.png')).toBe('photo.png');
  });

  it('removes control characters and direction overrides, and trims', () => {
    expect(sanitizeFileName(' re\u0000po\u0007rt\u001b.txt\n')).toBe('report.txt');
    expect(sanitizeFileName('invoice\u202egnp.exe')).toBe('invoicegnp.exe');
  });

  it('falls back to "file" when nothing usable is left', () => {
    for (const raw of ['', '   ', '..', '.', '../..', 'dir/', '\u0001\u0002', undefined, null]) expect(sanitizeFileName(raw)).toBe('file');
  });

  it('keeps at most 255 bytes of UTF-8 without cutting a character', () => {
    expect(sanitizeFileName('a'.repeat(300))).toBe('a'.repeat(255));
    const emoji = sanitizeFileName('😀'.repeat(100));
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(FILE_NAME_MAX_BYTES);
    expect(emoji).toBe('😀'.repeat(63));
    expect(sanitizeFileName('Zoë Wójcik – notes.md')).toBe('Zoë Wójcik – notes.md');
  });

  it('replaces a lone surrogate rather than storing half a character', () => {
    expect(sanitizeFileName('a\ud83d.txt')).toBe('a\ufffd.txt');
  });
});
