interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions {
  /** Most inputs handed to one run. */
  maxBatch: number;
  /** Runs allowed at the same time; more calls wait and go together in the next run. */
  maxConcurrent: number;
  /**
   * Least time between the starts of two runs. A call after a quiet spell still runs at once;
   * under steady load, calls gather for up to this long, so each run carries more of them.
   */
  minIntervalMs?: number;
}

/**
 * Groups calls into batches: a call that finds a free slot runs at once (alone, under light load),
 * and calls that arrive while every slot is busy (or within `minIntervalMs` of the last run's
 * start) wait and go together in the next run. Batches grow with the load, so a burst costs one
 * statement per batch, not one per call.
 *
 * `run` answers every input in order, with a value or an Error for that input alone; if it throws,
 * every input of the batch is rejected with that error.
 */
export class MicroBatcher<In, Out> {
  private queue: Waiting<In, Out>[] = [];
  private running = 0;
  private lastStart = -Infinity;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Array<Out | Error>>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0 && !this.timer) {
      const wait = this.lastStart + (this.options.minIntervalMs ?? 0) - performance.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.lastStart = performance.now();
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      void this.execute(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, index) => {
        const output = outputs[index];
        if (output instanceof Error) waiting.reject(output);
        else if (output === undefined) waiting.reject(new Error('batch run gave no answer for this input'));
        else waiting.resolve(output);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
