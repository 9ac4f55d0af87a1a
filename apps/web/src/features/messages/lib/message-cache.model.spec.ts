import type { Message, MessagePage } from '@chat/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addPendingMessage,
  applyMessages,
  type ChatMessage,
  contiguousSeq,
  flattenMessagePages,
  hasGapBefore,
  hasHole,
  isPending,
  lowestSeq,
  type MessagePages,
  patchMessage,
  toChatMessage,
} from './message-cache';
import { CONVERSATION, idOf, makeMessage, sentBy } from './message-fixtures';
import { type OutboxEntry, toPendingMessage } from './outbox';

/**
 * Model test of the timeline cache: a server history (several senders, edits, deletes) and any
 * interleaving of what reaches one client — live events delivered late, twice, out of order or
 * lost in a disconnect; acks of its own sends, some written offline and resent on reconnect;
 * catch-up and gap-fill pages answered later; older pages — applied through the cache functions
 * the way the app wires them. However it went, once the client is back online and the network is
 * quiet, the cache shows exactly what a fresh history load shows.
 */

const ME = '00000000-0000-4000-8000-0000000000a1';
const OTHERS = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2'];
const PAGE = 4;
const SYNC_PAGE = 3;
const at = (tick: number) => new Date(Date.UTC(2025, 0, 1) + tick * 1_000).toISOString();

class FakeServer {
  readonly messages: Message[] = [];
  private tick = 0;
  private nextClientId = 0;

  now(): string {
    this.tick += 1;
    return at(this.tick);
  }

  send(senderId: string, content: string, clientMessageId = idOf('c', (this.nextClientId += 1))): Message {
    const original = this.messages.find((m) => m.senderId === senderId && m.clientMessageId === clientMessageId);
    if (original) return { ...original };
    const time = this.now();
    const message = makeMessage(this.messages.length + 1, {
      ...sentBy(senderId, senderId === ME ? 'Me' : 'Other'),
      content,
      clientMessageId,
      createdAt: time,
      updatedAt: time,
    });
    this.messages.push(message);
    return { ...message };
  }

  edit(seq: number, content: string): Message | null {
    const message = this.messages[seq - 1];
    if (!message || message.deletedAt) return null;
    const time = this.now();
    Object.assign(message, { content, editedAt: time, updatedAt: time });
    return { ...message };
  }

  remove(seq: number): Message | null {
    const message = this.messages[seq - 1];
    if (!message || message.deletedAt) return null;
    const time = this.now();
    Object.assign(message, { content: '', deletedAt: time, updatedAt: time });
    return { ...message };
  }

  private page(messages: Message[], hasMore: boolean, updates: Message[] = []): MessagePage {
    return { messages: messages.map((m) => ({ ...m })), hasMore, updates: updates.map((m) => ({ ...m })), lastSeq: this.messages.length, syncedAt: this.now() };
  }

  latest(): MessagePage {
    return this.page(this.messages.slice(-PAGE), this.messages.length > PAGE);
  }

  before(seq: number): MessagePage {
    const older = this.messages.slice(0, seq - 1);
    return this.page(older.slice(-PAGE), older.length > PAGE);
  }

  /** Catch-up: what follows afterSeq, and edits/deletes of older ones since `updatedSince`. */
  after(afterSeq: number, updatedSince?: string): MessagePage {
    const newer = this.messages.slice(afterSeq);
    const updates = updatedSince ? this.messages.filter((m) => m.seq <= afterSeq && (m.editedAt || m.deletedAt) && m.updatedAt >= updatedSince) : [];
    return this.page(newer.slice(0, SYNC_PAGE), newer.length > SYNC_PAGE, updates);
  }
}

type NetworkEvent =
  | { kind: 'received' | 'updated'; message: Message }
  | { kind: 'deleted'; messageId: string; seq: number; deletedAt: string }
  | { kind: 'ack'; message: Message }
  | { kind: 'page'; reason: 'sync' | 'gap'; page: MessagePage; updatedSince?: string };

type Action =
  | { type: 'otherSend'; who: number; text: string }
  | { type: 'otherEdit'; pick: number; text: string }
  | { type: 'otherDelete'; pick: number }
  | { type: 'ownSend'; text: string }
  | { type: 'deliver'; pick: number; duplicate: boolean }
  | { type: 'disconnect'; storedInFlight: boolean }
  | { type: 'reconnect' }
  | { type: 'loadOlder' };

/** One client: its cache and the app's wiring around it (catch-up, gap fills, the outbox). */
class Client {
  data: MessagePages;
  online = true;
  network: NetworkEvent[] = [];
  outbox: OutboxEntry[] = [];
  inFlight: OutboxEntry | null = null;
  private written = 0;

  constructor(private readonly server: FakeServer) {
    const first = server.latest();
    this.data = { pages: [{ ...first, messages: first.messages.map(toChatMessage) }], pageParams: [null] };
  }

  /** What the server says happened reaches this client only while it is connected. */
  push(event: NetworkEvent) {
    if (this.online) this.network.push(event);
  }

  ownSend(text: string) {
    this.written += 1;
    const entry: OutboxEntry = {
      clientMessageId: idOf('d', this.written),
      conversationId: CONVERSATION,
      content: text,
      senderId: ME,
      senderName: 'Me',
      createdAt: at(10_000 + this.written),
    };
    this.data = addPendingMessage(this.data, toPendingMessage(entry))!;
    this.outbox.push(entry);
    this.pump();
  }

  /** The outbox: one send at a time, the next after the previous ack. */
  pump() {
    if (!this.online || this.inFlight || this.outbox.length === 0) return;
    const entry = this.outbox[0]!;
    this.inFlight = entry;
    const message = this.server.send(ME, entry.content, entry.clientMessageId);
    this.push({ kind: 'ack', message });
  }

  disconnect(storedInFlight: boolean) {
    // Whatever was on its way to this client is gone; a send in flight may or may not have been stored.
    const last = this.server.messages.at(-1);
    if (this.inFlight && !storedInFlight && last?.clientMessageId === this.inFlight.clientMessageId) this.server.messages.pop();
    this.online = false;
    this.network = [];
    this.inFlight = null;
  }

  reconnect() {
    if (this.online) return;
    this.online = true;
    this.requestSync();
    this.pump();
  }

  requestSync() {
    const updatedSince = this.data.pages[0]!.syncedAt;
    this.push({ kind: 'page', reason: 'sync', page: this.server.after(contiguousSeq(this.data), updatedSince), updatedSince });
  }

  requestGap() {
    this.push({ kind: 'page', reason: 'gap', page: this.server.after(contiguousSeq(this.data)) });
  }

  loadOlder() {
    const oldest = this.data.pages.at(-1)!;
    const lowest = lowestSeq(this.data);
    if (!oldest.hasMore || lowest === null) return;
    const page = this.server.before(lowest);
    this.data = { pages: [...this.data.pages, { ...page, messages: page.messages.map(toChatMessage) }], pageParams: [...this.data.pageParams, lowest] };
  }

  deliver(event: NetworkEvent) {
    switch (event.kind) {
      case 'received':
      case 'updated': {
        const gap = hasGapBefore(this.data, event.message.seq);
        this.data = applyMessages(this.data, [event.message])!;
        if (gap) this.requestGap();
        break;
      }
      case 'deleted': {
        const held = this.data.pages.some((page) => page.messages.some((m) => m.id === event.messageId));
        if (!held && event.seq > contiguousSeq(this.data)) this.requestGap();
        this.data = patchMessage(
          this.data,
          (m) => m.id === event.messageId,
          (m) => ({ ...m, content: '', deletedAt: event.deletedAt, updatedAt: event.deletedAt > m.updatedAt ? event.deletedAt : m.updatedAt }),
        )!;
        break;
      }
      case 'ack': {
        this.data = applyMessages(this.data, [event.message])!;
        if (this.inFlight?.clientMessageId === event.message.clientMessageId) {
          this.outbox.shift();
          this.inFlight = null;
        }
        if (hasHole(this.data)) this.requestGap();
        this.pump();
        break;
      }
      case 'page': {
        const { page } = event;
        this.data = applyMessages(this.data, [...page.messages, ...page.updates], {
          ...(event.reason === 'sync' ? { syncedAt: page.syncedAt } : {}),
          lastSeq: page.lastSeq,
        })!;
        if (event.reason === 'sync' && page.hasMore) {
          this.push({ kind: 'page', reason: 'sync', page: this.server.after(contiguousSeq(this.data), page.syncedAt), updatedSince: page.syncedAt });
        } else if (event.reason === 'gap' && (page.hasMore || hasHole(this.data))) {
          this.requestGap();
        }
        break;
      }
    }
  }
}

function run(history: Array<{ who: number; text: string }>, actions: Action[]) {
  const server = new FakeServer();
  for (const { who, text } of history) server.send(OTHERS[who % OTHERS.length]!, text);
  const client = new Client(server);
  const othersMessages = () => server.messages.filter((m) => m.senderId !== ME && !m.deletedAt);

  for (const action of actions) {
    switch (action.type) {
      case 'otherSend':
        client.push({ kind: 'received', message: server.send(OTHERS[action.who % OTHERS.length]!, action.text) });
        break;
      case 'otherEdit': {
        const target = othersMessages()[action.pick % Math.max(1, othersMessages().length)];
        const edited = target && server.edit(target.seq, action.text);
        if (edited) client.push({ kind: 'updated', message: edited });
        break;
      }
      case 'otherDelete': {
        const target = othersMessages()[action.pick % Math.max(1, othersMessages().length)];
        const deleted = target && server.remove(target.seq);
        if (deleted) client.push({ kind: 'deleted', messageId: deleted.id, seq: deleted.seq, deletedAt: deleted.deletedAt! });
        break;
      }
      case 'ownSend':
        client.ownSend(action.text);
        break;
      case 'deliver': {
        if (client.network.length === 0) break;
        const index = action.pick % client.network.length;
        const event = client.network[index]!;
        if (!action.duplicate) client.network.splice(index, 1);
        client.deliver(event);
        break;
      }
      case 'disconnect':
        if (client.online) client.disconnect(action.storedInFlight);
        break;
      case 'reconnect':
        client.reconnect();
        break;
      case 'loadOlder':
        client.loadOlder();
        break;
    }
  }

  // Back online; the network delivers everything still on its way, in order, until quiet.
  client.reconnect();
  for (let steps = 0; client.network.length > 0; steps += 1) {
    if (steps > 10_000) throw new Error('the network never went quiet');
    client.deliver(client.network.shift()!);
  }
  return { server, client };
}

const shape = (m: Pick<Message, 'id' | 'seq' | 'content' | 'deletedAt' | 'senderId'>) => ({
  id: m.id,
  seq: m.seq,
  content: m.content,
  deleted: m.deletedAt !== null,
  senderId: m.senderId,
});

const text = fc.string({ minLength: 1, maxLength: 6 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('otherSend' as const), who: fc.nat(3), text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('otherEdit' as const), pick: fc.nat(50), text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('otherDelete' as const), pick: fc.nat(50) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('ownSend' as const), text }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('deliver' as const), pick: fc.nat(50), duplicate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('disconnect' as const), storedInFlight: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('reconnect' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('loadOlder' as const) }) },
);
const historyArb = fc.array(fc.record({ who: fc.nat(3), text }), { maxLength: 12 });

describe('timeline cache model', () => {
  it('ends with exactly what a fresh history load shows, whatever reached the client in whatever order', () => {
    fc.assert(
      fc.property(historyArb, fc.array(actionArb, { maxLength: 60 }), (history, actions) => {
        const { server, client } = run(history, actions);
        const timeline = flattenMessagePages(client.data);
        const stored = timeline.filter((m) => !isPending(m));
        const from = stored[0]?.seq ?? 1;
        // A fresh load of the same range, newest state of every message.
        expect(stored.map(shape)).toEqual(server.messages.slice(from - 1).map(shape));
        expect(timeline.filter(isPending)).toEqual([]);
        expect(client.outbox).toEqual([]);
        // Every message written was stored exactly once, in the order it was written.
        const mine = server.messages.filter((m) => m.senderId === ME).map((m) => m.clientMessageId);
        expect(mine).toEqual([...new Set(mine)]);
        expect(mine).toEqual([...mine].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('while still offline, shows the unsent messages after every stored one, in the order written', () => {
    fc.assert(
      fc.property(historyArb, fc.array(actionArb, { maxLength: 40 }), fc.array(text, { minLength: 1, maxLength: 4 }), (history, actions, offline) => {
        const { client } = run(history, actions);
        client.disconnect(false);
        for (const content of offline) client.ownSend(content);
        const timeline = flattenMessagePages(client.data);
        const firstPending = timeline.findIndex(isPending);
        expect(timeline.slice(firstPending).every(isPending)).toBe(true);
        expect(timeline.filter(isPending).map((m: ChatMessage) => m.content)).toEqual(offline);
      }),
      { numRuns: 100 },
    );
  });
});
