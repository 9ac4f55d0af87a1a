import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/shared';
import { Client } from 'pg';
import { expect } from 'vitest';
import type { SignedIn } from '../builders';
import { type ClientSocket, connectSocket, emitWithAck, syncHistory } from '../sockets';
import { sleep } from './util';

export interface SendStats {
  /** Distinct messages (clientMessageIds) the client started to send. */
  sent: number;
  /** Distinct messages acknowledged as stored. */
  acked: number;
  /** Acks that said duplicate: true (a resend of something already stored). */
  duplicateAcks: number;
  /** Every message:send / POST attempt, first tries included. */
  attempts: number;
  /** Attempts beyond the first for a message. */
  retries: number;
  /** No answer within the client's timeout (socket ack or HTTP). */
  timeouts: number;
  /** Failed answers by code (socket) or status (HTTP). */
  errors: Record<string, number>;
  reconnects: number;
  /** Slowest time from first attempt to ack, in ms. */
  maxAckMs: number;
  ackMs: number[];
}

export const newStats = (): SendStats => ({
  sent: 0,
  acked: 0,
  duplicateAcks: 0,
  attempts: 0,
  retries: 0,
  timeouts: 0,
  errors: {},
  reconnects: 0,
  maxAckMs: 0,
  ackMs: [],
});

const COUNTERS = ['sent', 'acked', 'duplicateAcks', 'attempts', 'retries', 'timeouts'] as const;

/** Adds the message counters of `from` to `into`. */
export function addCounters(into: Record<(typeof COUNTERS)[number], number>, from: Record<(typeof COUNTERS)[number], number>): void {
  for (const key of COUNTERS) into[key] += from[key];
}

export function mergeStats(all: SendStats[]): Omit<SendStats, 'ackMs'> & { p50AckMs: number; p99AckMs: number } {
  const merged = newStats();
  for (const s of all) {
    addCounters(merged, s);
    merged.reconnects += s.reconnects;
    merged.maxAckMs = Math.max(merged.maxAckMs, s.maxAckMs);
    merged.ackMs.push(...s.ackMs);
    for (const [code, n] of Object.entries(s.errors)) merged.errors[code] = (merged.errors[code] ?? 0) + n;
  }
  const sorted = merged.ackMs.sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  const { ackMs: _ackMs, ...rest } = merged;
  return { ...rest, p50AckMs: pct(0.5), p99AckMs: pct(0.99) };
}

export interface Acked {
  messageId: string;
  seq: number;
}

/** Codes after which resending the same message cannot help. */
const PERMANENT = new Set(['VALIDATION_ERROR', 'NOT_IN_CONVERSATION', 'CONVERSATION_NOT_FOUND', 'AUTH_FAILED', 'TOKEN_EXPIRED']);

export class PermanentSendError extends Error {}

export class SendAborted extends Error {
  constructor(name: string) {
    super(`${name}: aborted`);
  }
}

/**
 * What the socket client and the HTTP sender share: one message at a time, resent with the same
 * clientMessageId until stored; an abort gives up at once and finishPending() takes it up again.
 */
abstract class ResendingSender {
  readonly acked = new Map<string, Acked>();
  stats = newStats();
  /** Set to give up at once (a node crashed and the test is failing anyway). */
  aborted = false;
  /** The message being sent and not yet acknowledged. */
  inFlight?: { content: string; clientMessageId: string };
  private counter = 0;
  /** The pause between two messages of run(). */
  protected abstract readonly pauseMs: number;

  constructor(
    readonly name: string,
    readonly user: SignedIn,
    readonly conversationId: string,
    public baseUrl: string,
  ) {}

  abstract send(content: string, clientMessageId?: string, budgetMs?: number): Promise<Acked>;

  /** Sends back to back until `control.stop`; finishes the message in flight (with its resends). */
  async run(control: { stop: boolean }, pauseMs = this.pauseMs): Promise<void> {
    while (!control.stop) {
      await this.send(`${this.name} #${++this.counter}`);
      await sleep(pauseMs);
    }
  }

  /** After an abort: resends the message that was never acknowledged, with its clientMessageId. */
  async finishPending(budgetMs = 20_000): Promise<void> {
    this.aborted = false;
    if (this.inFlight) await this.send(this.inFlight.content, this.inFlight.clientMessageId, budgetMs);
  }
}

/**
 * A chat client as the web app behaves under faults: one message at a time, resent with the same
 * clientMessageId until the server acknowledges it, reconnecting its socket when it is dropped.
 * It records every live `message:received` for delivery checks.
 */
export class ChaosClient extends ResendingSender {
  socket?: ClientSocket;
  /** Live pushes, by message id, with the time they arrived. */
  readonly received = new Map<string, { message: Message; at: number }>();
  protected readonly pauseMs = 20;

  constructor(
    name: string,
    user: SignedIn,
    conversationId: string,
    baseUrl: string,
    readonly options: { ackTimeoutMs?: number; retryDelayMs?: number } = {},
  ) {
    super(name, user, conversationId, baseUrl);
  }

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  async connect(): Promise<void> {
    this.socket?.close();
    const socket = await connectSocket(this.baseUrl, this.user.auth.accessToken);
    socket.on('message:received', ({ message }) => {
      if (!this.received.has(message.id)) this.received.set(message.id, { message, at: Date.now() });
    });
    this.socket = socket;
  }

  /** Reconnects until it works or `deadline` passes. */
  async ensureConnected(deadline: number): Promise<void> {
    while (!this.connected) {
      if (this.aborted) throw new SendAborted(this.name);
      if (Date.now() > deadline) throw new Error(`${this.name}: could not reconnect`);
      try {
        this.stats.reconnects++;
        await this.connect();
      } catch {
        await sleep(300);
      }
    }
  }

  /** Sends one message and resends it until acknowledged; throws on a permanent refusal or after `budgetMs`. */
  async send(content: string, clientMessageId: string = randomUUID(), budgetMs = 60_000): Promise<Acked & { duplicate: boolean }> {
    const started = Date.now();
    const deadline = started + budgetMs;
    if (this.inFlight?.clientMessageId !== clientMessageId) this.stats.sent++;
    this.inFlight = { content, clientMessageId };
    for (let attempt = 0; ; attempt++) {
      if (this.aborted) throw new SendAborted(this.name);
      if (Date.now() > deadline) throw new Error(`${this.name}: "${content}" not acknowledged within ${budgetMs} ms`);
      if (attempt > 0) this.stats.retries++;
      await this.ensureConnected(deadline);
      this.stats.attempts++;
      let ack: { ok: boolean; messageId?: string; seq?: number; duplicate?: boolean; code?: string; retryAfter?: number };
      try {
        ack = await emitWithAck(
          this.socket!,
          'message:send',
          { conversationId: this.conversationId, content, clientMessageId },
          this.options.ackTimeoutMs ?? 3_000,
        );
      } catch {
        this.stats.timeouts++;
        continue;
      }
      if (ack.ok) {
        const took = Date.now() - started;
        this.stats.acked++;
        if (ack.duplicate) this.stats.duplicateAcks++;
        this.stats.ackMs.push(took);
        this.stats.maxAckMs = Math.max(this.stats.maxAckMs, took);
        const acked = { messageId: ack.messageId!, seq: ack.seq! };
        const earlier = this.acked.get(clientMessageId);
        if (earlier && earlier.messageId !== acked.messageId)
          throw new Error(`${this.name}: ${clientMessageId} acked as ${earlier.messageId} and ${acked.messageId}`);
        this.acked.set(clientMessageId, acked);
        this.inFlight = undefined;
        return { ...acked, duplicate: ack.duplicate === true };
      }
      const code = ack.code ?? 'UNKNOWN';
      this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
      if (PERMANENT.has(code)) throw new PermanentSendError(`${this.name}: ${code} ${JSON.stringify(ack)}`);
      await sleep(code === 'RATE_LIMITED' ? (ack.retryAfter ?? 1) * 1000 : (this.options.retryDelayMs ?? 250));
    }
  }

  /** Full catch-up through the socket `sync` event, from seq 0. */
  catchUp(): Promise<Message[]> {
    return syncHistory(this.socket!, this.conversationId, { label: this.name });
  }

  close(): void {
    this.socket?.close();
  }
}

/**
 * The HTTP fallback under faults: POST with a client-side timeout, resent with the same
 * clientMessageId until 201/200. Every status it saw is counted.
 */
export class HttpSender extends ResendingSender {
  /** Status codes seen, with 'timeout' and 'network' for no answer. */
  statuses: Record<string, number> = {};
  protected readonly pauseMs = 50;

  constructor(
    name: string,
    user: SignedIn,
    conversationId: string,
    baseUrl: string,
    readonly timeoutMs = 5_000,
  ) {
    super(name, user, conversationId, baseUrl);
  }

  private count(key: string): void {
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
  }

  async send(content: string, clientMessageId: string = randomUUID(), budgetMs = 60_000): Promise<Acked> {
    const started = Date.now();
    if (this.inFlight?.clientMessageId !== clientMessageId) this.stats.sent++;
    this.inFlight = { content, clientMessageId };
    for (let attempt = 0; ; attempt++) {
      if (this.aborted) throw new SendAborted(this.name);
      if (Date.now() - started > budgetMs) throw new Error(`${this.name}: "${content}" not stored within ${budgetMs} ms`);
      if (attempt > 0) this.stats.retries++;
      this.stats.attempts++;
      let res: Response;
      try {
        res = await fetch(`${this.baseUrl}/api/conversations/${this.conversationId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.user.auth.accessToken}` },
          body: JSON.stringify({ content, clientMessageId }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        const kind = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        this.count(kind);
        if (kind === 'timeout') this.stats.timeouts++;
        else this.stats.errors.network = (this.stats.errors.network ?? 0) + 1;
        await sleep(250);
        continue;
      }
      this.count(String(res.status));
      const body = (await res.json().catch(() => ({}))) as { id?: string; seq?: number; code?: string };
      if (res.status === 201 || res.status === 200) {
        const took = Date.now() - started;
        this.stats.acked++;
        if (res.status === 200) this.stats.duplicateAcks++;
        this.stats.ackMs.push(took);
        this.stats.maxAckMs = Math.max(this.stats.maxAckMs, took);
        const acked = { messageId: body.id!, seq: body.seq! };
        this.acked.set(clientMessageId, acked);
        this.inFlight = undefined;
        return acked;
      }
      this.stats.errors[String(res.status)] = (this.stats.errors[String(res.status)] ?? 0) + 1;
      if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408) {
        throw new PermanentSendError(`${this.name}: ${res.status} ${JSON.stringify(body)}`);
      }
      await sleep(res.status === 429 ? Number(res.headers.get('retry-after') ?? '1') * 1000 : 250);
    }
  }
}

/** Reads that must keep answering (or fail cleanly) while a fault is on; records every status. */
export class HttpProber {
  statuses: Record<string, number> = {};
  /** Slowest answer in ms. */
  maxMs = 0;
  requests = 0;

  constructor(
    readonly baseUrl: string,
    readonly paths: Array<{ path: string; token?: string }>,
    readonly timeoutMs = 5_000,
  ) {}

  async run(control: { stop: boolean }, pauseMs = 100): Promise<void> {
    while (!control.stop) {
      await Promise.all(
        this.paths.map(async ({ path, token }) => {
          const started = Date.now();
          let key: string;
          try {
            const res = await fetch(`${this.baseUrl}${path}`, {
              headers: token ? { authorization: `Bearer ${token}` } : {},
              signal: AbortSignal.timeout(this.timeoutMs),
            });
            await res.arrayBuffer();
            key = String(res.status);
          } catch (error) {
            key = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
          }
          this.requests++;
          this.maxMs = Math.max(this.maxMs, Date.now() - started);
          this.statuses[key] = (this.statuses[key] ?? 0) + 1;
        }),
      );
      await sleep(pauseMs);
    }
  }
}

export interface StoredMessage {
  id: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
}

export async function storedMessages(databaseUrl: string, conversationId: string): Promise<StoredMessage[]> {
  const db = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    const { rows } = await db.query('select id, seq, sender_id, client_message_id from messages where conversation_id = $1 order by seq', [conversationId]);
    return rows.map((r) => ({ id: r.id, seq: Number(r.seq), senderId: r.sender_id, clientMessageId: r.client_message_id }));
  } finally {
    await db.end();
  }
}

type Sender = { user: SignedIn; acked: Map<string, Acked> };

/**
 * The delivery guarantees, checked against the database once every sender is done:
 * seq gapless 1..n, one row per (sender, clientMessageId), every ack names a stored row with the
 * same seq, and nothing is stored that its sender never got acknowledged.
 */
export function expectIntegrity(rows: StoredMessage[], senders: Sender[]): { stored: number; acked: number } {
  expect(
    rows.map((r) => r.seq),
    'seq must be gapless 1..n',
  ).toEqual(rows.map((_, i) => i + 1));
  const keys = rows.map((r) => `${r.senderId}:${r.clientMessageId}`);
  expect(new Set(keys).size, 'one row per (sender, clientMessageId)').toBe(rows.length);
  const byKey = new Map(rows.map((r) => [`${r.senderId}:${r.clientMessageId}`, r]));
  let acked = 0;
  const lost: string[] = [];
  const mismatched: string[] = [];
  for (const sender of senders) {
    for (const [clientMessageId, ack] of sender.acked) {
      acked++;
      const row = byKey.get(`${sender.user.auth.user.id}:${clientMessageId}`);
      if (!row) lost.push(`${clientMessageId} -> ${ack.messageId}`);
      else if (row.id !== ack.messageId || row.seq !== ack.seq)
        mismatched.push(`${clientMessageId}: acked ${ack.messageId}/${ack.seq}, stored ${row.id}/${row.seq}`);
    }
  }
  expect(lost, 'acknowledged messages missing from the database').toEqual([]);
  expect(mismatched, 'acks that disagree with the stored row').toEqual([]);
  expect(rows.length, 'rows stored without their sender ever getting an ack').toBe(acked);
  return { stored: rows.length, acked };
}
