import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { FileStorage } from '../../infra/storage/file-storage';
import { FileRepository } from './file.repository';
import { deleteStoredObjects } from './stored-objects';

/** Rows deleted per statement: a large backlog is swept in steps, never one long lock. */
const BATCH = 100;

/**
 * Removes files uploaded but never attached to a message (an abandoned draft, a closed tab) once
 * UNATTACHED_FILE_TTL_SECONDS (24 h) have passed: the row first, then its object and thumbnail. A
 * node that stops between the two leaves an object nobody can reach, never a row without bytes.
 */
@Injectable()
export class UnattachedFilesSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UnattachedFilesSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly repository: FileRepository,
    private readonly storage: FileStorage,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(
      () => void this.sweep().catch((error: unknown) => this.logger.error(error, 'sweeping unattached files failed')),
      this.config.fileSweepIntervalMs,
    );
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep to the end of the backlog; answers how many files it removed. One at a time per node. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let removed = 0;
    for (;;) {
      const gone = await this.repository.deleteUnattached(this.config.unattachedFileTtlSeconds, BATCH);
      await deleteStoredObjects(this.storage, gone, this.logger);
      removed += gone.length;
      if (gone.length < BATCH) return removed;
    }
  }
}
