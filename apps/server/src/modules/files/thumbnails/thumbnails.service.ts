import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Injectable, Logger } from '@nestjs/common';
import { FileStorage } from '../../../infra/storage/file-storage';
import { FileRepository } from '../file.repository';
import { renderThumbnail } from './thumbnail-image';

export const thumbnailKeyOf = (fileId: string) => `t/${fileId}`;

/** Makes the thumbnail of one stored image; the worker decides when. */
@Injectable()
export class ThumbnailsService {
  private readonly logger = new Logger(ThumbnailsService.name);

  constructor(
    private readonly repository: FileRepository,
    private readonly storage: FileStorage,
  ) {}

  /**
   * Makes and records the thumbnail of a pending file; does nothing for one that is not pending
   * (already made, not an image, gone). Throws only for failures that may pass (storage, database).
   */
  async make(fileId: string): Promise<void> {
    const file = await this.repository.findById(fileId);
    if (file?.thumbnailState !== 'pending') return;
    const original = await this.storage.get(file.storageKey);
    if (!original) {
      this.logger.error(`file ${file.id} has a row but no stored object (${file.storageKey})`);
      await this.repository.finishThumbnail(file.id, { state: 'none' });
      return;
    }
    // sharp holds a streamed input whole before decoding anyway; uploads are at most MAX_UPLOAD_BYTES.
    const result = await renderThumbnail(await buffer(original));
    if (result.state === 'none') {
      this.logger.log(`no thumbnail for file ${file.id}: ${result.reason}`);
      await this.repository.finishThumbnail(file.id, { state: 'none' });
      return;
    }
    const thumbnailKey = thumbnailKeyOf(file.id);
    await this.storage.put(thumbnailKey, Readable.from([result.webp]), { contentType: 'image/webp' });
    const recorded = await this.repository.finishThumbnail(file.id, { state: 'ready', thumbnailKey, width: result.width, height: result.height });
    // The file went away meanwhile: its thumbnail would have no row to be found by.
    if (!recorded && !(await this.repository.findById(file.id))) await this.storage.delete(thumbnailKey);
  }

  pending(limit: number): Promise<string[]> {
    return this.repository.findPendingThumbnails(limit);
  }

  /** After too many failed tries: the file keeps no thumbnail rather than staying pending. */
  async giveUp(fileId: string): Promise<void> {
    await this.repository.finishThumbnail(fileId, { state: 'none' });
  }
}
