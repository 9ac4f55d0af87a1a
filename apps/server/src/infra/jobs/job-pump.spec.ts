import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { JobPump } from './job-pump';

/** A queue of numbered jobs whose runs end when the test says so. */
function harness(jobs: number[], concurrency: number) {
  const queue = [...jobs];
  const running = new Map<number, () => void>();
  const done: number[] = [];
  const released: number[] = [];
  let peak = 0;
  const pump = new JobPump<number>({
    concurrency,
    pollMs: 60_000,
    claim: async () => queue.shift() ?? null,
    run: (job) =>
      new Promise<void>((resolve) => {
        running.set(job, () => {
          running.delete(job);
          done.push(job);
          resolve();
        });
        peak = Math.max(peak, running.size);
      }),
    release: async (job) => void released.push(job),
    logger: new Logger('test'),
    what: 'test jobs',
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { queue, running, done, released, pump, settle, peak: () => peak };
}

describe('JobPump', () => {
  it('runs at most `concurrency` jobs at once and takes the next as each one ends', async () => {
    const h = harness([1, 2, 3, 4, 5], 2);
    await h.pump.pump();
    expect([...h.running.keys()]).toEqual([1, 2]);
    h.running.get(1)!();
    await h.settle();
    expect([...h.running.keys()]).toEqual([2, 3]);
    for (const job of [2, 3, 4, 5]) {
      await h.settle();
      h.running.get(job)!();
    }
    await h.settle();
    expect(h.done).toEqual([1, 2, 3, 4, 5]);
    expect(h.peak()).toBe(2);
  });

  it('a job queued during a pass is taken by that pass, not left for the next poll', async () => {
    const h = harness([1], 4);
    const first = h.pump.pump();
    h.queue.push(2);
    void h.pump.pump();
    await first;
    await h.settle();
    expect([...h.running.keys()].sort()).toEqual([1, 2]);
  });

  it('after stop it takes nothing more, and waits for the jobs running', async () => {
    const h = harness([1, 2], 1);
    await h.pump.pump();
    let stopped = false;
    const stopping = h.pump.stop().then(() => (stopped = true));
    await h.settle();
    expect(stopped).toBe(false);
    h.running.get(1)!();
    await stopping;
    expect(h.done).toEqual([1]);
    expect(h.queue).toEqual([2]);
  });
});
