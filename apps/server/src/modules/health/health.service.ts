import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '@chat/db';
import type { ReadyResponse } from '@chat/shared';
import type Redis from 'ioredis';
import { DATABASE_HANDLE } from '../../infra/database/database.module';
import { REDIS } from '../../infra/redis/redis.module';

const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private shuttingDown = false;

  constructor(
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** Readiness turns false first thing on SIGTERM so load balancers stop sending traffic. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<ReadyResponse> {
    const [database, redis] = await Promise.all([
      probe(() => this.database.ping()),
      // Embedded mode: the in-process adapters cannot be unreachable.
      this.redis ? probe(async () => void (await this.redis!.ping())) : Promise.resolve('ok' as const),
    ]);
    const checks: ReadyResponse['checks'] = { database, redis };
    if (this.shuttingDown) checks.shutdown = 'error';
    const ready = database === 'ok' && redis === 'ok' && !this.shuttingDown;
    return { status: ready ? 'ready' : 'not_ready', checks };
  }
}

async function probe(check: () => Promise<void>): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}
