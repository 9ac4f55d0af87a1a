import type { Logger } from '@nestjs/common';

export interface JobPumpOptions<J> {
  /** Jobs run at once on this node. */
  concurrency: number;
  /** How often an idle node looks for jobs that came due (queued by others, retries, delays). */
  pollMs: number;
  /** The next due job, taken for this node, or null when none is due. */
  claim: () => Promise<J | null>;
  run: (job: J) => Promise<void>;
  /** Gives back a job claimed while the node was stopping, for another node or the next start. */
  release?: (job: J) => Promise<void>;
  logger: Logger;
  /** What the jobs are, for the log ("push jobs"). */
  what: string;
}

/**
 * Runs queued jobs a bounded number at a time, off the request path: takes as many as it may,
 * and one more each time one ends. One pass at a time; a call during a pass asks for another, so
 * a job queued meanwhile is never left waiting for the next poll.
 */
export class JobPump<J> {
  private readonly running = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;

  constructor(private readonly options: JobPumpOptions<J>) {}

  start(): void {
    this.timer = setInterval(() => void this.pump(), this.options.pollMs);
    this.timer.unref();
  }

  /** Takes no more jobs and waits for those running. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        while (!this.stopped && this.running.size < this.options.concurrency) {
          const job = await this.options.claim();
          if (job === null) break;
          if (this.stopped) {
            await this.options.release?.(job);
            break;
          }
          const run: Promise<void> = this.options.run(job).finally(() => {
            this.running.delete(run);
            void this.pump();
          });
          this.running.add(run);
        }
      } while (this.pumpAgain && !this.stopped);
    } catch (error) {
      this.options.logger.warn(error, `could not take ${this.options.what}`);
    } finally {
      this.pumping = false;
    }
  }
}
