import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { DiskFileStorage } from './disk-file-storage';
import { FileStorage } from './file-storage';
import { S3FileStorage } from './s3-file-storage';

export function createFileStorage(config: AppConfig): FileStorage {
  return config.s3 ? new S3FileStorage(config.s3) : new DiskFileStorage(join(config.dataDir, 'files'));
}

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(private readonly storage: FileStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3FileStorage) this.storage.close();
  }
}

/** The one FileStorage of the process: S3-compatible storage when S3_BUCKET is set, else local disk under DATA_DIR/files. */
@Global()
@Module({
  providers: [{ provide: FileStorage, inject: [AppConfig], useFactory: createFileStorage }, StorageLifecycle],
  exports: [FileStorage],
})
export class StorageModule {}
