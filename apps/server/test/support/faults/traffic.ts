import { expect } from 'vitest';
import { addCounters, type ChaosClient, type HttpSender, mergeStats, newStats, SendAborted } from './chat-load';
import type { NodeSet } from './nodes';
import { sleep, waitFor } from './util';

type Sender = ChaosClient | HttpSender;

export interface TrafficResult {
  sockets: ReturnType<typeof mergeStats>;
  http: ReturnType<typeof mergeStats> & { statuses: Record<string, number> };
  /** Nodes that exited during the run. */
  crashed: number[];
}

/**
 * Runs every sender's loop, calls `fault` once `warmup` messages are acknowledged, keeps sending
 * for `afterMs`, then lets each sender finish (resend until acked) the message it has in flight.
 * A node that dies aborts the run instead of leaving the senders retrying into the void.
 */
export async function trafficAround(
  nodes: NodeSet,
  senders: Sender[],
  fault: () => Promise<void>,
  options: { afterMs: number; warmup?: number },
): Promise<TrafficResult> {
  for (const s of senders) {
    s.stats = newStats();
    s.aborted = false;
    if ('statuses' in s) s.statuses = {};
  }
  const control = { stop: false };
  const crashed: number[] = [];
  let crashedOut = false;
  void nodes.firstExit().then((i) => {
    crashed.push(i);
    crashedOut = true;
    for (const s of senders) s.aborted = true;
  });
  const loops = Promise.all(
    senders.map((s) =>
      s.run(control).catch((error: unknown) => {
        if (!(error instanceof SendAborted)) throw error;
      }),
    ),
  );
  const acked = () => senders.reduce((n, s) => n + s.stats.acked, 0);
  await Promise.race([waitFor(() => acked() >= (options.warmup ?? 20) || crashedOut, 20_000, 'no warm-up traffic'), loops]);
  if (!crashedOut) await fault();
  const until = Date.now() + options.afterMs;
  while (Date.now() < until && !crashedOut) await sleep(50);
  control.stop = true;
  await loops;
  const sockets = senders.filter((s): s is ChaosClient => !('statuses' in s));
  const https = senders.filter((s): s is HttpSender => 'statuses' in s);
  const statuses: Record<string, number> = {};
  for (const h of https) for (const [k, n] of Object.entries(h.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  return {
    sockets: mergeStats(sockets.map((s) => s.stats)),
    http: { ...mergeStats(https.map((s) => s.stats)), statuses },
    crashed: [...new Set([...crashed, ...nodes.dead()])],
  };
}

/**
 * Fails the test (softly: the data checks after it still run) with the fatal error each dead node
 * printed, then brings the dead nodes back and lets every sender finish the message it had in flight.
 */
export async function expectNoCrashThenRecover(nodes: NodeSet, senders: Sender[], crashed: number[]): Promise<void> {
  const dead = [...new Set([...crashed, ...nodes.dead()])];
  const reasons = dead.map((i) => `node ${i + 1}:\n${nodes.crashes.filter((c) => c.node === i).at(-1)?.reason ?? ''}`);
  expect.soft(dead, `nodes crashed:\n${reasons.join('\n')}`).toEqual([]);
  if (nodes.dead().length > 0) await nodes.revive();
  await Promise.all(senders.map((s) => s.finishPending()));
}

/** Sums the traffic figures of every phase of a suite's report (phases hold `{ traffic }`). */
export function totalsOf(report: Record<string, unknown>) {
  const totals = { phases: 0, sent: 0, acked: 0, attempts: 0, retries: 0, timeouts: 0, duplicateAcks: 0, errorAnswers: 0 };
  for (const value of Object.values(report)) {
    const traffic = (value as { traffic?: TrafficResult } | null)?.traffic;
    if (!traffic?.sockets) continue;
    totals.phases++;
    for (const s of [traffic.sockets, traffic.http]) {
      addCounters(totals, s);
      totals.errorAnswers += Object.values(s.errors).reduce((a, b) => a + b, 0);
    }
  }
  return { ...totals, faultsInjected: ((report.faultsInjected as unknown[] | undefined) ?? []).length };
}
