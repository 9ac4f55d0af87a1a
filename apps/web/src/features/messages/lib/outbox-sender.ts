import type { Message } from '@chat/shared';
import type { SendFailure } from './message-cache';
import type { Outbox, OutboxEntry } from './outbox';
import { sendErrorKind, toSendFailure } from './send-errors';

export interface OutboxSenderDeps {
  /** Sends over whatever transport is up; rejects with the server's or the network's error. */
  send(entry: OutboxEntry): Promise<Message>;
  /** The server stored it (or already had it): show the server's copy. */
  onStored(message: Message, entry: OutboxEntry): void;
  /** Shown as failed: a permanent refusal (the entry has left the outbox), or a rate-limit wait. */
  onFailed(entry: OutboxEntry, failure: SendFailure): void;
  /** Shown as on its way again (a retry, or a rate-limit wait that ran out). */
  onSending(entry: OutboxEntry): void;
  now?: () => number;
}

/** After a network failure, try again this long after (doubling), unless the connection returns first. */
const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/**
 * Delivers an account's outbox one message at a time, in the order they were written: the next
 * goes only after the previous one was acknowledged, so they are stored in that order. A message
 * keeps its clientMessageId on every attempt, so a resend after a lost ack is stored once.
 * Network failures keep it queued ("sending") until the connection returns; RATE_LIMITED waits the
 * time the server named, shown counting down, and then resends by itself; any other refusal takes
 * it out of the outbox and shows it failed, with Retry and Delete.
 */
export class OutboxSender {
  private running = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly waitUntil = new Map<string, number>();
  private readonly failures = new Map<string, SendFailure>();
  private readonly now: () => number;

  constructor(
    readonly outbox: Outbox,
    private readonly deps: OutboxSenderDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts delivering, or cuts a wait short (the connection is back, a message was added). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wake?.();
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
    });
  }

  /** Writes a new message into the outbox and sends it when its turn comes. */
  enqueue(entry: OutboxEntry): void {
    this.outbox.add(entry);
    this.kick();
  }

  /** Sends a failed message again now, in its place among the unsent ones. */
  retry(entry: OutboxEntry): void {
    this.waitUntil.delete(entry.clientMessageId);
    this.failures.delete(entry.clientMessageId);
    this.outbox.add(entry);
    this.deps.onSending(entry);
    this.kick();
  }

  /** Gives up on a message for good. */
  discard(clientMessageId: string): void {
    this.waitUntil.delete(clientMessageId);
    this.failures.delete(clientMessageId);
    this.outbox.remove(clientMessageId);
    this.kick();
  }

  /** How an unsent message should show right now (after a reload, or when its timeline loads). */
  failureOf(clientMessageId: string): SendFailure | undefined {
    return this.failures.get(clientMessageId);
  }

  /** Sends nothing more until start(): the account signed out. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  start(): void {
    this.stopped = false;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const entry = this.outbox.list()[0];
      if (!entry) return;
      const until = this.waitUntil.get(entry.clientMessageId);
      if (until !== undefined) {
        if (until > this.now()) {
          await this.pause(until - this.now());
          continue;
        }
        this.waitUntil.delete(entry.clientMessageId);
        this.failures.delete(entry.clientMessageId);
        this.deps.onSending(entry);
      }
      try {
        const message = await this.deps.send(entry);
        attempt = 0;
        this.outbox.remove(entry.clientMessageId);
        this.deps.onStored(message, entry);
      } catch (error) {
        if (this.stopped) return;
        const failure = toSendFailure(error);
        const kind = sendErrorKind(error);
        if (kind === 'rate-limited') {
          const retryAt = this.now() + (failure.retryAfter ?? 5) * 1_000;
          this.waitUntil.set(entry.clientMessageId, retryAt);
          this.failures.set(entry.clientMessageId, { ...failure, retryAt });
          this.deps.onFailed(entry, { ...failure, retryAt });
        } else if (kind === 'permanent') {
          this.outbox.remove(entry.clientMessageId);
          this.deps.onFailed(entry, failure);
        } else {
          // Still on its way: it goes out when the connection returns (kick) or at the next try.
          await this.pause(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt));
          attempt += 1;
        }
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
