import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PresenceService } from './presence.service';

/** Every node sweeps expired devices; the store makes sure each expiry is handled once. */
@Injectable()
export class PresenceSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceSweeper.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly presence: PresenceService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = Math.max(200, Math.min(5_000, this.config.presenceTtlMs / 5));
    this.timer = setInterval(() => void this.sweepOnce(), interval);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweepOnce(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.presence.sweep();
    } catch (error) {
      this.logger.error(error);
    } finally {
      this.busy = false;
    }
  }
}
