import type { Logger } from '@nestjs/common';
import type { FileStorage } from '../../infra/storage/file-storage';

/** Storage keys of a file and of its thumbnail, once its row is gone: the objects to delete next. */
export interface StoredObjects {
  storageKey: string;
  thumbnailKey: string | null;
}

/**
 * Deletes the objects of files whose rows are already gone. Rows go first, so a node that stops in
 * between leaves bytes nobody can reach, never a row without bytes; a failed delete is logged, not thrown.
 */
export async function deleteStoredObjects(storage: FileStorage, gone: readonly StoredObjects[], logger: Logger): Promise<void> {
  for (const { storageKey, thumbnailKey } of gone) {
    for (const key of [storageKey, thumbnailKey]) {
      if (key) await storage.delete(key).catch((error: unknown) => logger.warn(error, `could not delete stored object ${key}`));
    }
  }
}
