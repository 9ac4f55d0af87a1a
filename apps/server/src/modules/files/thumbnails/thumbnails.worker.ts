import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ThumbnailQueue, type ThumbnailJob } from './thumbnail-queue';
import { ThumbnailsService } from './thumbnails.service';

/** Thumbnails made at once on a node: decoding runs on libuv's pool (4 threads), which requests share. */
const CONCURRENCY = 2;
/** How often an idle node looks for requests queued by others, or retries coming due. */
const POLL_MS = 1_000;
const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 5_000;
/** Pending thumbnails asked for again when a node starts. */
const RESUME_LIMIT = 1_000;

/** Takes thumbnail requests off the queue on every node, a bounded number at a time, off the request path. */
@Injectable()
export class ThumbnailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ThumbnailWorker.name);
  private readonly running = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;

  constructor(
    private readonly queue: ThumbnailQueue,
    private readonly thumbnails: ThumbnailsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pump(), POLL_MS);
    this.timer.unref();
    void this.resume();
  }

  /** Runs after the server stopped taking requests and before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** Queues the file's thumbnail; never throws (a request that is lost is asked for again when a node starts). */
  request(fileId: string): void {
    this.queue.enqueue(fileId).then(
      () => this.pump(),
      (error: unknown) => this.logger.error(error, `could not queue the thumbnail of file ${fileId}`),
    );
  }

  /**
   * Asks again for thumbnails left pending: an in-process queue dies with its node, and a request
   * may have failed to reach Redis. One already queued is made once all the same (see make()).
   */
  private async resume(): Promise<void> {
    try {
      const pending = await this.thumbnails.pending(RESUME_LIMIT);
      for (const fileId of pending) await this.queue.enqueue(fileId);
      if (pending.length > 0) await this.pump();
    } catch (error) {
      this.logger.warn(error, 'could not resume pending thumbnails');
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        while (!this.stopped && this.running.size < CONCURRENCY) {
          const job = await this.queue.claim();
          if (!job) break;
          if (this.stopped) {
            // Claimed while the node was stopping: left for another node, or this one's next start.
            await job.retry(0);
            break;
          }
          const run: Promise<void> = this.run(job).finally(() => {
            this.running.delete(run);
            void this.pump();
          });
          this.running.add(run);
        }
      } while (this.pumpAgain && !this.stopped);
    } catch (error) {
      this.logger.warn(error, 'could not take thumbnail requests');
    } finally {
      this.pumping = false;
    }
  }

  private async run(job: ThumbnailJob): Promise<void> {
    try {
      await this.thumbnails.make(job.fileId);
      await job.done();
    } catch (error) {
      try {
        if (job.attempt < MAX_ATTEMPTS) {
          this.logger.warn(error, `thumbnail of file ${job.fileId} failed (try ${job.attempt}); trying again`);
          await job.retry(RETRY_DELAY_MS * job.attempt);
        } else {
          this.logger.error(error, `thumbnail of file ${job.fileId} failed ${job.attempt} times; giving up`);
          await this.thumbnails.giveUp(job.fileId);
          await job.done();
        }
      } catch (cleanupError) {
        // The claim goes stale and is taken again later.
        this.logger.error(cleanupError, `could not record the failed thumbnail of file ${job.fileId}`);
      }
    }
  }
}
