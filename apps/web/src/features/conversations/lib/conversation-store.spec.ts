import type { Conversation, ConversationDetail, ConversationPage } from '@chat/shared';
import { InfiniteQueryObserver, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationDetailOptions } from '../api/use-conversation-details';
import { conversationListOptions } from '../api/use-conversations';
import { findConversation, type IncomingMessage } from './conversation-cache';
import { idOf, makeConversation, makePage } from './conversation-fixtures';
import { changeMentionCount, recordParticipantRead, refreshConversationList, showMessageInList, storeNotifications } from './conversation-store';

const CONVERSATION = idOf(1);
const ALICE = idOf(0xa);
const BOB = idOf(0xb);

/**
 * A server whose answers are held until `respond()`: each request reads the server's state when it
 * arrives, as a real one does, however late its answer lands.
 */
function slowServer<T>(read: () => T) {
  const held: Array<() => void> = [];
  let requests = 0;
  return {
    fetch: () =>
      new Promise<T>((resolve) => {
        requests += 1;
        const answer = read();
        held.push(() => resolve(answer));
      }),
    respond: () => {
      for (const release of held.splice(0)) release();
    },
    get waiting() {
      return held.length;
    },
    get requests() {
      return requests;
    },
  };
}

async function settle(queryClient: QueryClient, server: { respond: () => void }) {
  for (let round = 0; round < 20; round += 1) {
    server.respond();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (queryClient.isFetching() === 0) return;
  }
  throw new Error('queries never settled');
}

function messageAt(seq: number): IncomingMessage {
  return {
    id: idOf(100 + seq),
    conversationId: CONVERSATION,
    seq,
    senderId: BOB,
    sender: { displayName: 'Bob' },
    content: `message ${seq}`,
    deletedAt: null,
    createdAt: new Date(Date.UTC(2025, 4, 14, 12, 0, seq)).toISOString(),
    attachments: [],
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('an event patch and a fetch already in flight', () => {
  it('keeps a new message and its unread badge in the sidebar when a refetch started before it lands later with older data', async () => {
    // The server's side: the conversation, and whether the new message is stored yet.
    let stored = false;
    const listed = (): ConversationPage => {
      const lastMessage = stored
        ? {
            id: idOf(102),
            seq: 2,
            senderId: BOB,
            senderName: 'Bob',
            preview: 'message 2',
            deleted: false,
            attachmentNames: [],
            createdAt: messageAt(2).createdAt,
          }
        : null;
      const conversation: Conversation = makeConversation({
        id: CONVERSATION,
        lastSeq: stored ? 2 : 1,
        lastReadSeq: 1,
        unreadCount: stored ? 1 : 0,
        lastMessage,
      });
      return makePage([conversation]);
    };
    const server = slowServer(listed);
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new InfiniteQueryObserver(queryClient, { ...conversationListOptions(), queryFn: server.fetch });
    cleanups.push(
      observer.subscribe(() => undefined),
      () => queryClient.clear(),
    );
    await settle(queryClient, server);

    // A reconnect refetches the list; the message is stored and announced before that answer lands.
    void queryClient.invalidateQueries({ queryKey: conversationListOptions().queryKey });
    expect(server.waiting).toBe(1);
    stored = true;
    showMessageInList(queryClient, messageAt(2), { countAsUnread: true, sentByMe: false });
    await settle(queryClient, server);

    const entry = findConversation(queryClient.getQueryData(conversationListOptions().queryKey), CONVERSATION);
    expect(entry?.lastMessage?.preview).toBe('message 2');
    expect(entry?.unreadCount).toBe(1);
    // Kept by applying the change again, not by asking the server again.
    expect(server.requests).toBe(2);
  });

  it("keeps a reader's marker when the conversation's first load was read before it moved", async () => {
    let aliceRead = 1;
    const detail = (): ConversationDetail => ({
      ...makeConversation({ id: CONVERSATION, lastSeq: 3 }),
      participants: [{ user: { id: ALICE, displayName: 'Alice' }, role: 'member', joinedAt: '2025-05-14T12:00:00.000Z', lastReadSeq: aliceRead }],
    });
    const server = slowServer(detail);
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new QueryObserver(queryClient, { ...conversationDetailOptions(CONVERSATION), queryFn: server.fetch });
    cleanups.push(
      observer.subscribe(() => undefined),
      () => queryClient.clear(),
    );
    expect(server.waiting).toBe(1);

    aliceRead = 3;
    recordParticipantRead(queryClient, CONVERSATION, ALICE, 3);
    await settle(queryClient, server);

    expect(queryClient.getQueryData(conversationDetailOptions(CONVERSATION).queryKey)?.participants[0]?.lastReadSeq).toBe(3);
    expect(server.requests).toBe(1);
  });

  it('shows a conversation created while the list was loading for the first time, once told to refresh', async () => {
    // A new account's sidebar starts loading; someone opens a conversation with them; the socket
    // connects and asks for a refresh while that first load (read before it existed) is in flight.
    let created = false;
    const server = slowServer(() => makePage(created ? [makeConversation({ id: CONVERSATION, lastSeq: 0 })] : []));
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new InfiniteQueryObserver(queryClient, { ...conversationListOptions(), queryFn: server.fetch });
    cleanups.push(
      observer.subscribe(() => undefined),
      () => queryClient.clear(),
    );
    expect(server.waiting).toBe(1);

    created = true;
    void refreshConversationList(queryClient);
    await settle(queryClient, server);

    expect(findConversation(queryClient.getQueryData(conversationListOptions().queryKey), CONVERSATION)).toBeDefined();
  });

  it('counts an edit that stops mentioning me once, when a refetch was in flight and may or may not have seen it', async () => {
    let mentionCount = 1;
    const server = slowServer(() => makePage([makeConversation({ id: CONVERSATION, lastSeq: 4, lastReadSeq: 1, unreadCount: 3, mentionCount })]));
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new InfiniteQueryObserver(queryClient, { ...conversationListOptions(), queryFn: server.fetch });
    cleanups.push(
      observer.subscribe(() => undefined),
      () => queryClient.clear(),
    );
    await settle(queryClient, server);
    const count = () => findConversation(queryClient.getQueryData(conversationListOptions().queryKey), CONVERSATION)?.mentionCount;

    // Settled: the step applies at once, without asking the server.
    mentionCount = 2;
    changeMentionCount(queryClient, CONVERSATION, 2, 1);
    expect(count()).toBe(2);
    expect(server.requests).toBe(1);

    // A refetch reads the server after an edit took the mention away, and its event comes while
    // the answer is on its way: applying the step over that answer would count the edit twice.
    mentionCount = 1;
    void queryClient.invalidateQueries({ queryKey: conversationListOptions().queryKey });
    changeMentionCount(queryClient, CONVERSATION, 2, -1);
    await settle(queryClient, server);
    expect(count()).toBe(1);
  });
});

describe('storeNotifications', () => {
  const muted = { level: 'mentions' as const, custom: true, mutedUntil: '2025-05-14T13:00:00.000Z' };

  it('puts the new level and mute into the sidebar entry and the open detail, leaving other conversations alone', () => {
    const queryClient = new QueryClient();
    cleanups.push(() => queryClient.clear());
    const other = makeConversation({ id: idOf(2) });
    queryClient.setQueryData(conversationListOptions().queryKey, {
      pages: [makePage([makeConversation({ id: CONVERSATION }), other])],
      pageParams: [null],
    });
    queryClient.setQueryData(conversationDetailOptions(CONVERSATION).queryKey, { ...makeConversation({ id: CONVERSATION }), participants: [] });

    storeNotifications(queryClient, CONVERSATION, muted);

    const list = queryClient.getQueryData(conversationListOptions().queryKey);
    expect(findConversation(list, CONVERSATION)?.notifications).toEqual(muted);
    expect(findConversation(list, idOf(2))).toBe(other);
    expect(queryClient.getQueryData(conversationDetailOptions(CONVERSATION).queryKey)?.notifications).toEqual(muted);
  });

  it('keeps the change when a list fetch started before it lands later with the old state', async () => {
    let current: Conversation['notifications'] = { level: 'all', custom: false, mutedUntil: null };
    const server = slowServer(() => makePage([makeConversation({ id: CONVERSATION, notifications: current })]));
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new InfiniteQueryObserver(queryClient, { ...conversationListOptions(), queryFn: server.fetch });
    cleanups.push(
      observer.subscribe(() => undefined),
      () => queryClient.clear(),
    );
    expect(server.waiting).toBe(1);

    current = muted;
    storeNotifications(queryClient, CONVERSATION, muted);
    await settle(queryClient, server);

    expect(findConversation(queryClient.getQueryData(conversationListOptions().queryKey), CONVERSATION)?.notifications).toEqual(muted);
  });
});
