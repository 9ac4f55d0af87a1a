import { randomUUID } from 'node:crypto';
import { threadFollows } from '@chat/db';
import { type Message, threadPageSchema, threadRepliesPageSchema } from '@chat/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn, signInAgain } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, emitWithAck } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';
import type { TestApp } from './support/test-app';

describe('threads across two nodes (PostgreSQL + Redis)', () => {
  const { node, open } = useSocketCluster(2, { MESSAGE_RATE_LIMIT: '1000' });

  const unreadOf = async (target: TestApp, user: SignedIn, rootId: string) =>
    threadPageSchema.parse((await target.http().get('/api/threads').set(bearer(user)).expect(200)).body).threads.find((t) => t.root.id === rootId)?.unreadCount;

  it('20 concurrent repliers on both nodes: every reply stored once in gapless seqs, the reply count exact, everyone following', async () => {
    const people = await registerUsers(node(0), 21);
    const [ann, ...repliers] = people;
    const { id } = await createGroup<{ id: string }>(node(0), ann, repliers, { title: 'Busy thread' });
    const rootRes = await node(0).http().post(`/api/conversations/${id}/messages`).set(bearer(ann)).send({ content: 'root', clientMessageId: randomUUID() });
    expect(rootRes.status).toBe(201);
    const root = rootRes.body as Message;
    const watcher = await open(1, ann);
    const received = collect(watcher, 'message:received');

    const sockets = await Promise.all(repliers.map((user, i) => open(i % 2, user)));
    const acks = await Promise.all(
      sockets.map((socket) =>
        emitWithAck(socket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: 'me too', threadRootId: root.id }),
      ),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(acks.map((ack) => ack.seq as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => root.seq + 1 + i));

    const page = threadRepliesPageSchema.parse(
      (await node(1).http().get(`/api/conversations/${id}/messages/${root.id}/replies?limit=100`).set(bearer(ann)).expect(200)).body,
    );
    expect(page.replies).toHaveLength(20);
    expect(page.root.thread?.replyCount).toBe(20);
    expect(new Set(page.root.thread?.participantIds).size).toBe(5);
    // The first five to reply, in the order their replies were stored.
    expect(page.root.thread?.participantIds).toEqual(page.replies.slice(0, 5).map((m) => m.senderId));
    // Every summary the room saw was a count in 1..20, each exactly once.
    await received.waitFor(20);
    expect(received.items.map((e) => e.rootThread?.replyCount ?? 0).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { db } = dbProbe(node(0));
    expect(await db.$count(threadFollows, eq(threadFollows.rootId, root.id))).toBe(21);
    expect(await unreadOf(node(0), ann, root.id)).toBe(20);
  });

  it('a follower’s thread read on one node clears the unread count on their device on the other node', async () => {
    const [ann, ben] = await registerUsers(node(0), 2);
    const annPhone = await signInAgain(node(1), ann);
    const { id } = await createGroup<{ id: string }>(node(0), ann, [ben], { title: 'Across' });
    const root = (await node(0).http().post(`/api/conversations/${id}/messages`).set(bearer(ann)).send({ content: 'root', clientMessageId: randomUUID() }))
      .body as Message;
    const phone = await open(1, annPhone);
    const received = collect(phone, 'message:received');
    const readElsewhere = collect(phone, 'thread:read');
    const benSocket = await open(1, ben);
    const ack = await emitWithAck(benSocket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: 'reply', threadRootId: root.id });
    expect(ack.ok).toBe(true);
    expect((await received.waitFor(1))[0].message.threadRootId).toBe(root.id);
    expect(await unreadOf(node(1), annPhone, root.id)).toBe(1);

    await node(0).http().post(`/api/conversations/${id}/threads/${root.id}/read`).set(bearer(ann)).send({ seq: ack.seq }).expect(200);
    await readElsewhere.waitFor(1);
    expect(readElsewhere.items[0]).toMatchObject({ rootId: root.id, unreadCount: 0, lastReadSeq: ack.seq });
    expect(await unreadOf(node(1), annPhone, root.id)).toBe(0);
  });

  it('typing in a thread reaches the other node naming the thread; typing in the main list names none', async () => {
    const [ann, ben] = await registerUsers(node(0), 2);
    const { id } = await createGroup<{ id: string }>(node(0), ann, [ben], { title: 'Typing' });
    const root = (await node(0).http().post(`/api/conversations/${id}/messages`).set(bearer(ann)).send({ content: 'root', clientMessageId: randomUUID() }))
      .body as Message;
    const typist = await open(0, ann);
    const watcher = await open(1, ben);
    const started = collect(watcher, 'typing:started');
    const stopped = collect(watcher, 'typing:stopped');

    typist.emit('typing:start', { conversationId: id, threadRootId: root.id });
    expect((await started.waitFor(1))[0]).toEqual({ conversationId: id, userId: ann.auth.user.id, threadRootId: root.id });
    typist.emit('typing:start', { conversationId: id });
    const [, main] = await started.waitFor(2);
    expect(main).toEqual({ conversationId: id, userId: ann.auth.user.id });
    expect(main).not.toHaveProperty('threadRootId');

    typist.emit('typing:stop', { conversationId: id, threadRootId: root.id });
    expect((await stopped.waitFor(1))[0]).toEqual({ conversationId: id, userId: ann.auth.user.id, threadRootId: root.id });
    typist.emit('typing:stop', { conversationId: id });
    expect((await stopped.waitFor(2))[1]).toEqual({ conversationId: id, userId: ann.auth.user.id });
  });
});
