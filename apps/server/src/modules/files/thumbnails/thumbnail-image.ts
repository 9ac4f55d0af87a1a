import sharp from 'sharp';

// Each image is read once: sharp's operation cache would only hold memory.
sharp.cache(false);

/** Images the thumbnail worker reads; every other type has no thumbnail. */
export const THUMBNAIL_SOURCE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

/** Past this many pixels an image is not decoded at all: a small file can declare a huge canvas. */
export const MAX_INPUT_PIXELS = 50_000_000;
/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 400;

export type ThumbnailResult =
  | {
      state: 'ready';
      /** The thumbnail, WebP, without the original's metadata. */
      webp: Buffer;
      /** The original's size, upright. */
      width: number;
      height: number;
    }
  | { state: 'none'; reason: string };

/**
 * A WebP of `original` with its longest side at most 400 px, turned upright by its EXIF orientation
 * and never enlarged; an animated image gives its first frame. Anything sharp cannot decode, or an
 * image over 50 megapixels, is 'none': never a throw.
 */
export async function renderThumbnail(original: Buffer): Promise<ThumbnailResult> {
  try {
    const image = sharp(original, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const metadata = await image.metadata();
    const { width, height } = metadata.autoOrient;
    // Checked before decoding, so a bomb costs a header read; sharp enforces the same limit on decode.
    if (!width || !height) return { state: 'none', reason: 'no dimensions' };
    if (width * height > MAX_INPUT_PIXELS) return { state: 'none', reason: `${width}x${height} is over ${MAX_INPUT_PIXELS} pixels` };
    const webp = await image
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { state: 'ready', webp, width, height };
  } catch (error) {
    return { state: 'none', reason: error instanceof Error ? error.message : String(error) };
  }
}
