import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pngDeclaring, rawPng } from '../../../../test/support/png-bytes';
import { renderThumbnail } from './thumbnail-image';

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });

/** A complete, black, 1-bit greyscale PNG: every row a filter byte and width/8 zero bytes, which deflate to almost nothing. */
const blackPng = (width: number, height: number) => rawPng(width, height, 1, 0, Buffer.alloc((1 + Math.ceil(width / 8)) * height));

describe('renderThumbnail', () => {
  it('turns a 3000x2000 JPEG with EXIF orientation 6 upright and fits it in 400 px', async () => {
    const jpeg = await solid(3000, 2000).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);

    const result = await renderThumbnail(jpeg);

    expect(result).toMatchObject({ state: 'ready', width: 2000, height: 3000 });
    if (result.state !== 'ready') return;
    const thumbnail = await sharp(result.webp).metadata();
    expect(thumbnail.format).toBe('webp');
    expect([thumbnail.width, thumbnail.height]).toEqual([267, 400]);
    // Metadata is stripped: no orientation left to apply twice.
    expect(thumbnail.orientation).toBeUndefined();
    expect(thumbnail.exif).toBeUndefined();
  });

  it('never enlarges a small image', async () => {
    const result = await renderThumbnail(await solid(100, 50).png().toBuffer());

    expect(result).toMatchObject({ state: 'ready', width: 100, height: 50 });
    if (result.state !== 'ready') return;
    const thumbnail = await sharp(result.webp).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['webp', 100, 50]);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = (r: number, g: number) =>
      sharp({ create: { width: 600, height: 300, channels: 3, background: { r, g, b: 0 } } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame(255, 0), await frame(0, 255), await frame(0, 0)], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);

    const result = await renderThumbnail(gif);

    expect(result).toMatchObject({ state: 'ready', width: 600, height: 300 });
    if (result.state !== 'ready') return;
    const { data, info } = await sharp(result.webp).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([400, 200]);
    expect(data[0]).toBeGreaterThan(200);
  });

  it('gives none, without throwing, for a PNG declaring 60000x60000 pixels', async () => {
    const bomb = pngDeclaring(60_000, 60_000);
    expect(bomb.length).toBeLessThan(200);

    await expect(renderThumbnail(bomb)).resolves.toMatchObject({ state: 'none' });
  });

  it('gives none for a complete, decodable PNG just over 50 megapixels', async () => {
    const justOver = blackPng(10_000, 5_001);
    expect(justOver.length).toBeLessThan(100_000);
    expect(await sharp(justOver).metadata()).toMatchObject({ width: 10_000, height: 5_001 });

    await expect(renderThumbnail(justOver)).resolves.toMatchObject({ state: 'none' });
  });

  it('gives none for bytes that are no image, or an image cut off after its header', async () => {
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg at all'.repeat(50))]);
    await expect(renderThumbnail(garbage)).resolves.toMatchObject({ state: 'none' });

    const cut = (await solid(800, 600).png().toBuffer()).subarray(0, 60);
    await expect(renderThumbnail(cut)).resolves.toMatchObject({ state: 'none' });
  });
});
