import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobPump } from '../../../infra/jobs/job-pump';
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
  private readonly jobs: JobPump<ThumbnailJob>;

  constructor(
    private readonly queue: ThumbnailQueue,
    private readonly thumbnails: ThumbnailsService,
  ) {
    this.jobs = new JobPump({
      concurrency: CONCURRENCY,
      pollMs: POLL_MS,
      claim: () => this.queue.claim(),
      run: (job) => this.run(job),
      // Claimed while the node was stopping: left for another node, or this one's next start.
      release: (job) => job.retry(0),
      logger: this.logger,
      what: 'thumbnail requests',
    });
  }

  onApplicationBootstrap(): void {
    this.jobs.start();
    void this.resume();
  }

  /** Runs after the server stopped taking requests and before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.jobs.stop();
  }

  /** Queues the file's thumbnail; never throws (a request that is lost is asked for again when a node starts). */
  request(fileId: string): void {
    this.queue.enqueue(fileId).then(
      () => this.jobs.pump(),
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
      if (pending.length > 0) await this.jobs.pump();
    } catch (error) {
      this.logger.warn(error, 'could not resume pending thumbnails');
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
