import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { FileRepository } from './file.repository';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { MemoryThumbnailQueue, RedisThumbnailQueue, ThumbnailQueue } from './thumbnails/thumbnail-queue';
import { ThumbnailsService } from './thumbnails/thumbnails.service';
import { ThumbnailWorker } from './thumbnails/thumbnails.worker';
import { UnattachedFilesSweeper } from './unattached-files.sweeper';

@Module({
  controllers: [FilesController],
  providers: [
    FileRepository,
    FilesService,
    ThumbnailsService,
    ThumbnailWorker,
    UnattachedFilesSweeper,
    {
      provide: ThumbnailQueue,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisThumbnailQueue(redis) : new MemoryThumbnailQueue()),
    },
  ],
})
export class FilesModule {}
