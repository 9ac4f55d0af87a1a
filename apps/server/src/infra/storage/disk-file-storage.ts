import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, type ByteRange, FileStorage } from './file-storage';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files under one folder on local disk (DATA_DIR/files). A write goes to a temporary name in the
 * same folder and is renamed into place once complete, so a reader never sees half a file and a
 * failed upload leaves nothing. One node, or several sharing the folder (a network volume).
 */
export class DiskFileStorage extends FileStorage {
  readonly kind = 'disk' as const;

  constructor(private readonly root: string) {
    super();
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.root, key);
  }

  async put(key: string, body: Readable, _options: { contentType: string }): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
    const out = createWriteStream(partial, { flags: 'wx' });
    try {
      await pipeline(body, out);
      await rename(partial, path);
      return { size: out.bytesWritten };
    } catch (error) {
      // The file is opened asynchronously: a body that fails at once (a file past the limit) can
      // fail before the open is done, and a removal then would run before the file exists.
      // (events.once would reject on the stream's own error, the one the pipeline destroyed it with.)
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    const path = this.pathOf(key);
    // Opened before it is returned, so a missing file is null here rather than an error mid-response.
    const stream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', (error) => (isMissing(error) ? resolve(null) : reject(error)));
    });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async signedUrl(key: string): Promise<string | null> {
    assertStorageKey(key);
    return null;
  }
}
