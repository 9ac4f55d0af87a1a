import { afterEach, describe, expect, it, vi } from 'vitest';
import { MicroBatcher } from './micro-batcher';

/** A run whose batches finish only when the test says so. */
function controlledRun() {
  const batches: { inputs: number[]; finish: (outputs?: Array<number | Error>) => void; fail: (error: Error) => void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<Array<number | Error>>((resolve, reject) => {
      batches.push({ inputs, finish: (outputs) => resolve(outputs ?? inputs.map((n) => n * 10)), fail: reject });
    });
  return { batches, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('runs a lone call at once and groups the calls that arrive while it runs', async () => {
    const { batches, run } = controlledRun();
    const batcher = new MicroBatcher(run, { maxBatch: 100, maxConcurrent: 1 });
    const first = batcher.submit(1);
    expect(batches.map((b) => b.inputs)).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    expect(batches).toHaveLength(1);
    batches[0]!.finish();
    await expect(first).resolves.toBe(10);
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
  });

  it('caps the batch size and the runs in flight', async () => {
    const { batches, run } = controlledRun();
    const batcher = new MicroBatcher(run, { maxBatch: 2, maxConcurrent: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((n) => batcher.submit(n));
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2]]);
    batches[0]!.finish();
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2], [3, 4]]);
    batches[1]!.finish();
    batches[2]!.finish();
    await settle();
    expect(batches.map((b) => b.inputs).slice(3)).toEqual([[5, 6], [7]]);
    batches[3]!.finish();
    batches[4]!.finish();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('rejects one input with its own error and the whole batch when the run throws', async () => {
    const { batches, run } = controlledRun();
    const batcher = new MicroBatcher(run, { maxBatch: 10, maxConcurrent: 1 });
    const blocker = batcher.submit(0);
    const a = batcher.submit(1);
    const b = batcher.submit(2);
    batches[0]!.finish();
    await blocker;
    await settle();
    batches[1]!.finish([new Error('not yours'), 20]);
    await expect(a).rejects.toThrow('not yours');
    await expect(b).resolves.toBe(20);

    const c = batcher.submit(3);
    batches[2]!.fail(new Error('database gone'));
    await expect(c).rejects.toThrow('database gone');
    // The batcher keeps working after a failed run.
    const d = batcher.submit(4);
    batches[3]!.finish();
    await expect(d).resolves.toBe(40);
  });

  describe('with a least interval between runs', () => {
    afterEach(() => vi.useRealTimers());

    it('runs a call after a quiet spell at once and gathers the calls of a busy spell into one run', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
      const { batches, run } = controlledRun();
      const batcher = new MicroBatcher(run, { maxBatch: 100, maxConcurrent: 1, minIntervalMs: 20 });
      const first = batcher.submit(1);
      expect(batches.map((b) => b.inputs)).toEqual([[1]]);
      batches[0]!.finish();
      await expect(first).resolves.toBe(10);

      // The first run finished quickly: the next calls wait out the interval, together.
      const gathered = [2, 3].map((n) => batcher.submit(n));
      await vi.advanceTimersByTimeAsync(10);
      const late = batcher.submit(4);
      expect(batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(10);
      expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3, 4]]);
      batches[1]!.finish();
      await expect(Promise.all([...gathered, late])).resolves.toEqual([20, 30, 40]);

      // After a quiet spell longer than the interval, a call runs at once again.
      await vi.advanceTimersByTimeAsync(50);
      void batcher.submit(5);
      expect(batches.map((b) => b.inputs).at(-1)).toEqual([5]);
    });
  });
});
