import { describe, expect, it } from 'vitest';
import { base64UrlToBytes } from './web-push';

describe('base64UrlToBytes', () => {
  it('decodes base64url with and without padding, including the characters base64 spells differently', () => {
    expect([...base64UrlToBytes('-_8')]).toEqual([0xfb, 0xff]);
    expect([...base64UrlToBytes('-_8=')]).toEqual([0xfb, 0xff]);
    expect([...base64UrlToBytes('AQID')]).toEqual([1, 2, 3]);
  });

  it('gives the 65 bytes of an uncompressed P-256 key, as PushManager wants them', () => {
    const key = `B${'A'.repeat(86)}`;
    const bytes = base64UrlToBytes(key);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(0x04);
  });
});
