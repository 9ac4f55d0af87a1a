import { describe, expect, it } from 'vitest';
import { contentDisposition, dispositionOf, fileHeaders, matchesIfNoneMatch, parseRange } from './file-serving';

describe('parseRange', () => {
  const size = 1000;

  it('reads one range in each of its forms, clamped to the file', () => {
    expect(parseRange('bytes=0-99', size)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', size)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', size)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', size)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=990-5000', size)).toEqual({ start: 990, end: 999 });
  });

  it('is unsatisfiable past the end or for an empty suffix', () => {
    expect(parseRange('bytes=1000-', size)).toBe('unsatisfiable');
    expect(parseRange('bytes=1000-1010', size)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', size)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('serves the whole file for no range, a malformed one, several, another unit or a stale If-Range', () => {
    for (const header of [undefined, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=a-b']) {
      expect(parseRange(header, size)).toBeNull();
    }
    expect(parseRange('bytes=0-9', size, '"other"', '"etag"')).toBeNull();
    expect(parseRange('bytes=0-9', size, '"etag"', '"etag"')).toEqual({ start: 0, end: 9 });
  });
});

describe('serving headers', () => {
  it('lets only the allowed image types show inline', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']) expect(dispositionOf(type)).toBe('inline');
    for (const type of ['image/svg+xml', 'image/bmp', 'text/plain', 'application/pdf', 'application/octet-stream'])
      expect(dispositionOf(type)).toBe('attachment');
  });

  it('encodes any name into Content-Disposition with an ASCII fallback', () => {
    expect(contentDisposition('attachment', 'Zoë "quoted" 100%.txt')).toBe(
      `attachment; filename="Zo_ _quoted_ 100_.txt"; filename*=UTF-8''Zo%C3%AB%20%22quoted%22%20100%25.txt`,
    );
    expect(contentDisposition('inline', "it's (1).png")).toBe(`inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });

  it('sends text as UTF-8 and every file sandboxed, unsniffed and privately cached', () => {
    const headers = fileHeaders({ id: 'a1', name: 'notes.txt', size: 3, mimeType: 'text/plain' });
    expect(headers).toMatchObject({
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      ETag: '"a1"',
    });
    expect(headers['Cache-Control']).toMatch(/^private, /);
    expect(headers['Content-Disposition']).toMatch(/^attachment;/);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(matchesIfNoneMatch('"a1"', '"a1"')).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"a1"', '"a1"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"a1"')).toBe(true);
    expect(matchesIfNoneMatch('"a2"', '"a1"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"a1"')).toBe(false);
  });
});
