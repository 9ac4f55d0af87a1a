import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ReceiptsService } from './receipts.service';

/** Flushes batched group receipts on an interval on every node, and once more on shutdown. */
@Injectable()
export class ReceiptsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReceiptsWorker.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly receipts: ReceiptsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flushNow(), this.config.receiptFlushIntervalMs);
    this.timer.unref();
  }

  /** Runs after the server stopped taking requests and before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.flushNow();
  }

  flushNow(): Promise<unknown> {
    // One flush at a time per node; the store keeps nodes apart.
    this.running = this.running.then(() => this.receipts.flush()).catch((error: unknown) => this.logger.error(error));
    return this.running;
  }
}
