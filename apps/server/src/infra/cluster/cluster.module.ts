import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../redis/redis.module';
import { ClusterBroadcast, LocalClusterBroadcast, RedisClusterBroadcast } from './cluster-broadcast';

@Injectable()
class ClusterBroadcastLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ClusterBroadcast) private readonly broadcast: ClusterBroadcast) {}

  async onApplicationShutdown(): Promise<void> {
    await this.broadcast.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ClusterBroadcast,
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis | null, config: AppConfig) =>
        redis ? new RedisClusterBroadcast(redis, `${config.redisKeyPrefix}broadcast:`) : new LocalClusterBroadcast(),
    },
    ClusterBroadcastLifecycle,
  ],
  exports: [ClusterBroadcast],
})
export class ClusterModule {}
