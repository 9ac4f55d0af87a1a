import type { Message } from '@chat/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { SocketRequestError } from '../../../lib/socket';
import { Outbox, type OutboxEntry, outboxStorageKey, toOutboxEntry, toPendingMessage, toSendPayload } from './outbox';
import { OutboxSender } from './outbox-sender';

const CONVERSATION = '00000000-0000-4000-8000-00000000c0c0';
const ALICE = '00000000-0000-4000-8000-0000000000a1';
const MALLORY = '00000000-0000-4000-8000-0000000000e1';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

function entry(n: number, senderId = ALICE): OutboxEntry {
  return {
    clientMessageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    conversationId: CONVERSATION,
    content: `message ${n}`,
    senderId,
    senderName: 'Alice',
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(),
  };
}

const stored = (e: OutboxEntry, seq: number) => ({ ...e, id: e.clientMessageId, seq }) as unknown as Message;

describe('Outbox', () => {
  it('survives a reload, in the order written, and only for the account that wrote it', () => {
    const storage = memoryStorage();
    const outbox = new Outbox(ALICE, storage);
    outbox.add(entry(2));
    outbox.add(entry(1));
    outbox.add(entry(2));
    expect(new Outbox(ALICE, storage).list().map((e) => e.content)).toEqual(['message 1', 'message 2']);
    expect(new Outbox(MALLORY, storage).list()).toEqual([]);
    // Another account's entries planted under this key are not trusted.
    storage.setItem(outboxStorageKey(MALLORY), JSON.stringify({ version: 1, entries: [entry(3)] }));
    expect(new Outbox(MALLORY, storage).list()).toEqual([]);
    storage.setItem(outboxStorageKey(ALICE), '{not json');
    expect(new Outbox(ALICE, storage).list()).toEqual([]);
  });

  it("two tabs of the same account keep each other's messages", () => {
    const storage = memoryStorage();
    const tab1 = new Outbox(ALICE, storage);
    const tab2 = new Outbox(ALICE, storage);
    tab1.add(entry(1));
    tab2.add(entry(2));
    tab1.remove(entry(1).clientMessageId);
    expect(new Outbox(ALICE, storage).list().map((e) => e.content)).toEqual(['message 2']);
  });

  it('keeps working from memory when storage refuses to write', () => {
    const storage = {
      ...memoryStorage(),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const outbox = new Outbox(ALICE, storage);
    outbox.add(entry(1));
    expect(outbox.list().map((e) => e.content)).toEqual(['message 1']);
  });

  it('forgets a message once removed, and leaves nothing behind when empty', () => {
    const storage = memoryStorage();
    const outbox = new Outbox(ALICE, storage);
    outbox.add(entry(1));
    outbox.remove(entry(1).clientMessageId);
    expect(storage.items.size).toBe(0);
    expect(new Outbox(ALICE, storage).list()).toEqual([]);
  });
});

describe('OutboxSender', () => {
  afterEach(() => vi.useRealTimers());

  const setup = (send: (e: OutboxEntry) => Promise<Message>) => {
    const outbox = new Outbox(ALICE, memoryStorage());
    const events: string[] = [];
    const sender = new OutboxSender(outbox, {
      send,
      onStored: (message) => events.push(`stored ${message.content} #${message.seq}`),
      onFailed: (e, failure) => events.push(`failed ${e.content} ${failure.code}`),
      onSending: (e) => events.push(`sending ${e.content}`),
    });
    return { outbox, sender, events };
  };

  it('sends one at a time in the order written, each with its clientMessageId, the next only after the ack', async () => {
    const calls: string[] = [];
    let release: (() => void) | null = null;
    let seq = 0;
    const { sender, outbox, events } = setup(async (e) => {
      calls.push(e.clientMessageId);
      await new Promise<void>((resolve) => (release = resolve));
      return stored(e, (seq += 1));
    });
    sender.enqueue(entry(1));
    sender.enqueue(entry(2));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls).toEqual([entry(1).clientMessageId]);
    release!();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    release!();
    await vi.waitFor(() => expect(outbox.list()).toEqual([]));
    expect(events).toEqual(['stored message 1 #1', 'stored message 2 #2']);
  });

  it('keeps a message queued while there is no connection and sends it when the connection returns', async () => {
    let online = false;
    const calls: string[] = [];
    const { sender, outbox, events } = setup(async (e) => {
      calls.push(e.content);
      if (!online) throw new SocketRequestError('NOT_CONNECTED', 'Not connected');
      return stored(e, 1);
    });
    sender.enqueue(entry(1));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(outbox.list()).toHaveLength(1);
    expect(events).toEqual([]);
    online = true;
    sender.kick();
    await vi.waitFor(() => expect(events).toEqual(['stored message 1 #1']));
    expect(outbox.list()).toEqual([]);
  });

  it('takes a refused message out of the outbox and shows it failed; the next one still goes', async () => {
    const { sender, outbox, events } = setup(async (e) => {
      if (e.content === 'message 1') throw new ApiError({ status: 403, code: 'NOT_IN_CONVERSATION', message: 'no' });
      return stored(e, 1);
    });
    sender.enqueue(entry(1));
    sender.enqueue(entry(2));
    await vi.waitFor(() => expect(events).toEqual(['failed message 1 NOT_IN_CONVERSATION', 'stored message 2 #1']));
    expect(outbox.list()).toEqual([]);
  });

  it('waits out RATE_LIMITED, holding later messages back, then resends by itself', async () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 0, 1) });
    let limited = true;
    const { sender, events } = setup(async (e) => {
      if (limited) throw new SocketRequestError('RATE_LIMITED', 'slow down', 3);
      return stored(e, e.content === 'message 1' ? 1 : 2);
    });
    sender.enqueue(entry(1));
    sender.enqueue(entry(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['failed message 1 RATE_LIMITED']);
    expect(sender.failureOf(entry(1).clientMessageId)).toMatchObject({ retryAfter: 3, retryAt: Date.UTC(2025, 0, 1) + 3_000 });
    limited = false;
    await vi.advanceTimersByTimeAsync(2_900);
    expect(events).toEqual(['failed message 1 RATE_LIMITED']);
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual(['failed message 1 RATE_LIMITED', 'sending message 1', 'stored message 1 #1', 'stored message 2 #2']);
  });

  it('Delete on a failed message removes it for good', async () => {
    const { sender, outbox } = setup(async () => {
      throw new SocketRequestError('RATE_LIMITED', 'slow down', 60);
    });
    sender.enqueue(entry(1));
    await vi.waitFor(() => expect(sender.failureOf(entry(1).clientMessageId)).toBeDefined());
    sender.discard(entry(1).clientMessageId);
    expect(outbox.list()).toEqual([]);
    expect(sender.failureOf(entry(1).clientMessageId)).toBeUndefined();
    sender.stop();
  });
});

describe('Outbox entries with files', () => {
  const photo = { id: '00000000-0000-4000-8000-0000000f0001', name: 'photo.png', size: 2048, mimeType: 'image/png', width: 40, height: 30 };
  const report = { id: '00000000-0000-4000-8000-0000000f0002', name: 'report.pdf', size: 900, mimeType: 'application/pdf' };
  const withFiles = (n: number, content = ''): OutboxEntry => ({ ...entry(n), content, attachments: [photo, report] });

  it('keeps the files of a files-only message across a reload, and sends their ids', () => {
    const storage = memoryStorage();
    new Outbox(ALICE, storage).add(withFiles(1));
    const [reloaded] = new Outbox(ALICE, storage).list();
    expect(reloaded?.attachments).toEqual([photo, report]);
    expect(toSendPayload(reloaded!, 7)).toEqual({
      content: '',
      clientMessageId: entry(1).clientMessageId,
      contentType: 'text',
      readUpToSeq: 7,
      attachmentIds: [photo.id, report.id],
    });
  });

  it('shows the files on the pending message and carries them into a retry', () => {
    const pending = toPendingMessage(withFiles(2, 'see attached'), 'failed');
    expect(pending.attachments).toEqual([photo, report]);
    const retried = toOutboxEntry(pending);
    expect(toSendPayload(retried, undefined).attachmentIds).toEqual([photo.id, report.id]);
  });

  it('still loads entries stored before messages had files, and sends them without attachmentIds', () => {
    const storage = memoryStorage();
    const old = entry(3);
    storage.setItem(outboxStorageKey(ALICE), JSON.stringify({ version: 1, entries: [old] }));
    const [loaded] = new Outbox(ALICE, storage).list();
    expect(loaded).toEqual(old);
    expect(toSendPayload(loaded!, 0)).not.toHaveProperty('attachmentIds');
    expect(toPendingMessage(loaded!).attachments).toEqual([]);
  });

  it('does not trust a stored entry with neither text nor files', () => {
    const storage = memoryStorage();
    storage.setItem(outboxStorageKey(ALICE), JSON.stringify({ version: 1, entries: [{ ...entry(4), content: '' }] }));
    expect(new Outbox(ALICE, storage).list()).toEqual([]);
  });
});

describe('Outbox entries with mentions', () => {
  const BOB = '00000000-0000-4000-8000-0000000000b1';
  const mentioning = (n: number): OutboxEntry => ({ ...entry(n), content: '@Bob hi', mentions: { userIds: [BOB], everyone: true } });

  it('keeps the mentions across a reload and sends them on every attempt', () => {
    const storage = memoryStorage();
    new Outbox(ALICE, storage).add(mentioning(1));
    const [reloaded] = new Outbox(ALICE, storage).list();
    expect(toSendPayload(reloaded!, 3).mentions).toEqual({ userIds: [BOB], everyone: true });
    expect(toSendPayload(reloaded!, 4).mentions).toEqual({ userIds: [BOB], everyone: true });
  });

  it('shows them on the pending message and carries them into a retry', () => {
    const pending = toPendingMessage(mentioning(2), 'failed');
    expect(pending.mentions).toEqual({ userIds: [BOB], everyone: true });
    expect(toSendPayload(toOutboxEntry(pending), undefined).mentions).toEqual({ userIds: [BOB], everyone: true });
  });

  it('sends no mentions for a message without any, as before', () => {
    expect(toSendPayload(entry(3), 0)).not.toHaveProperty('mentions');
    expect(toOutboxEntry(toPendingMessage(entry(3)))).not.toHaveProperty('mentions');
    expect(toPendingMessage(entry(3)).mentions).toEqual({ userIds: [], everyone: false });
  });
});
