import { describe, expect, it } from 'vitest';
import { OCTET_STREAM, PLAIN_TEXT, sniffMimeType } from './mime-sniffing';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe('sniffMimeType', () => {
  it('recognises binary formats from their bytes', async () => {
    expect(await sniffMimeType(PNG)).toBe('image/png');
    expect(await sniffMimeType(GIF)).toBe('image/gif');
    expect(await sniffMimeType(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'))).toBe('application/pdf');
  });

  it('calls UTF-8 text without NUL text/plain, markup included', async () => {
    expect(await sniffMimeType(Buffer.from('name,age\nZoë,31\n'))).toBe(PLAIN_TEXT);
    expect(await sniffMimeType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBe(PLAIN_TEXT);
    expect(await sniffMimeType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(PLAIN_TEXT);
  });

  it('tolerates a character cut by the end of the text window', async () => {
    const text = Buffer.from(`${'a'.repeat(1023)}é and more`);
    expect(await sniffMimeType(text)).toBe(PLAIN_TEXT);
  });

  it('never records XML as a type a browser would render', async () => {
    expect(await sniffMimeType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).not.toMatch(/xml|svg|html/);
  });

  it('calls anything else application/octet-stream', async () => {
    expect(await sniffMimeType(Buffer.from([0x00, 0x01, 0x02, 0xff]))).toBe(OCTET_STREAM);
    expect(await sniffMimeType(Buffer.from([0xc3, 0x28, 0x41]))).toBe(OCTET_STREAM);
    expect(await sniffMimeType(Buffer.from('text\u0000with a NUL'))).toBe(OCTET_STREAM);
    expect(await sniffMimeType(Buffer.alloc(0))).toBe(OCTET_STREAM);
  });
});
