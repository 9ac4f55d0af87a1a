import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '@chat/db';
import type Redis from 'ioredis';
import { DATABASE_HANDLE } from '../../infra/database/database.module';
import { REDIS } from '../../infra/redis/redis.module';
import { MetricsService } from '../metrics/metrics.service';

/** Feeds the database pool and Redis gauges: health is the module that looks at the connections. */
@Injectable()
export class ConnectionGauges {
  constructor(@Inject(DATABASE_HANDLE) database: DatabaseHandle, @Inject(REDIS) redis: Redis | null, metrics: MetricsService) {
    metrics.observeConnections({
      // Embedded mode: one connection, always idle.
      pool: () => {
        const pool = database.pool;
        return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : { total: 1, idle: 1, waiting: 0 };
      },
      redisUp: () => (redis ? redis.status === 'ready' : true),
    });
  }
}
