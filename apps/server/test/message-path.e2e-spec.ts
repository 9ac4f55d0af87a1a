import { randomUUID } from 'node:crypto';
import { users } from '@chat/db';
import { conversationPageSchema } from '@chat/shared';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { emitWithAck } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

/**
 * A send writes the conversation's seq bump, the message and the sender's own membership: the same
 * rows in a room of 2 or of 200. Reads write only the reader's membership.
 */
describe('the message path writes O(1) rows', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000' });

  /** Row versions (xmin) of a conversation's memberships: a row any statement wrote has a new one. */
  const membershipVersions = async (conversationId: string) => {
    const { db } = dbProbe(suite.app);
    const result: unknown = await db.execute(
      sql`select user_id, xmin::text as version from conversation_participants where conversation_id = ${conversationId}`,
    );
    const { rows } = result as { rows: Array<{ user_id: string; version: string }> };
    return new Map(rows.map((row) => [row.user_id, row.version]));
  };

  /** An owner registered through the API and `count` more people straight in the database (hashing 200 passwords is not the point). */
  const roomOf = async (count: number) => {
    const [owner] = await registerUsers(suite.app, 1);
    const { db } = dbProbe(suite.app);
    const tag = randomUUID().slice(0, 8);
    const members = await db
      .insert(users)
      .values(Array.from({ length: count }, (_, i) => ({ email: `member-${tag}-${i}@example.com`, passwordHash: 'not-a-hash', displayName: `Member ${i}` })))
      .returning({ id: users.id });
    const { id } = await createGroup(suite.app, owner, members, { title: 'Everyone' });
    return { owner: owner, conversationId: id, memberIds: members.map((m) => m.id) };
  };

  it('a send in a 200-member room updates the sender’s membership and no other member’s row', async () => {
    const { owner, conversationId } = await roomOf(199);
    const socket = await suite.open(owner);
    const before = await membershipVersions(conversationId);
    expect(before.size).toBe(200);

    const ack = await emitWithAck(socket, 'message:send', { conversationId, content: 'hello all 199', clientMessageId: randomUUID(), contentType: 'text' });
    expect(ack.ok).toBe(true);
    const rest = await suite.app
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(owner))
      .send({ content: 'and over HTTP', clientMessageId: randomUUID() });
    expect(rest.status).toBe(201);

    const after = await membershipVersions(conversationId);
    const written = [...after].filter(([userId, version]) => before.get(userId) !== version).map(([userId]) => userId);
    expect(written).toEqual([owner.auth.user.id]);
    // The order of the list still follows the new activity.
    const list = conversationPageSchema.parse((await suite.app.http().get('/api/conversations').set(bearer(owner))).body);
    expect(list.conversations[0]).toMatchObject({ id: conversationId, lastMessage: { preview: 'and over HTTP' } });
  });

  it('a read updates the reader’s membership only, and everyone’s unread count stays exact', async () => {
    const { owner, conversationId, memberIds } = await roomOf(4);
    const [reader] = await registerUsers(suite.app, 1);
    await suite.app
      .http()
      .post(`/api/conversations/${conversationId}/participants`)
      .set(bearer(owner))
      .send({ userIds: [reader.auth.user.id] });
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await suite.app
        .http()
        .post(`/api/conversations/${conversationId}/messages`)
        .set(bearer(owner))
        .send({ content: `m${i}`, clientMessageId: randomUUID() });
      sent.push(res.body.id);
    }
    const before = await membershipVersions(conversationId);
    const socket = await suite.open(reader);
    expect(await emitWithAck(socket, 'receipt:read', { conversationId, messageId: sent[1] })).toMatchObject({ ok: true, unreadCount: 1 });
    const after = await membershipVersions(conversationId);
    expect([...after].filter(([userId, version]) => before.get(userId) !== version).map(([userId]) => userId)).toEqual([reader.auth.user.id]);
    expect(memberIds).toHaveLength(4);
  });

  it('a clientMessageId whose first send was refused can still be stored, once', async () => {
    const [alice, bob, carol] = await registerUsers(suite.app, 3);
    const theirs = await createDirect(suite.app, bob, carol);
    const ours = await createDirect(suite.app, alice, bob);
    const socket = await suite.open(alice);
    const clientMessageId = randomUUID();
    const refused = await emitWithAck(socket, 'message:send', { conversationId: theirs.id, content: 'wrong room', clientMessageId, contentType: 'text' });
    expect(refused).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
    const stored = await emitWithAck(socket, 'message:send', { conversationId: ours.id, content: 'right room', clientMessageId, contentType: 'text' });
    expect(stored).toMatchObject({ ok: true, seq: 1, duplicate: false });
    const again = await emitWithAck(socket, 'message:send', { conversationId: ours.id, content: 'right room', clientMessageId, contentType: 'text' });
    expect(again).toMatchObject({ ok: true, seq: 1, duplicate: true, messageId: stored.ok ? stored.messageId : '' });
  });

  it('reads and a burst of sends at once all succeed, and the counts come out exact', async () => {
    const people = await registerUsers(suite.app, 4);
    const [sender, ...readers] = people as [SignedIn, ...SignedIn[]];
    const conversationId = (await createGroup(suite.app, sender, readers, { title: 'Burst' })).id;
    const first = await suite.app
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(sender))
      .send({ content: 'first', clientMessageId: randomUUID() });
    const senderSocket = await suite.open(sender);
    const readerSockets = await Promise.all(readers.map((reader) => suite.open(reader)));

    const burst = Array.from({ length: 40 }, (_, i) =>
      emitWithAck(senderSocket, 'message:send', { conversationId, content: `burst ${i}`, clientMessageId: randomUUID(), contentType: 'text' }),
    );
    const reads = readerSockets.flatMap((socket) =>
      Array.from({ length: 5 }, () => emitWithAck(socket, 'receipt:read', { conversationId, messageId: first.body.id as string })),
    );
    const [acks, readAcks] = await Promise.all([Promise.all(burst), Promise.all(reads)]);
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(readAcks.every((ack) => ack.ok)).toBe(true);
    const seqs = acks.map((ack) => (ack.ok ? ack.seq : 0)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));

    // Each reader read message 1 of 41: 40 unread, whatever the interleaving; the sender has none.
    for (const reader of readers) {
      const list = conversationPageSchema.parse((await suite.app.http().get('/api/conversations').set(bearer(reader))).body);
      expect(list.conversations.find((c) => c.id === conversationId)).toMatchObject({ lastReadSeq: 1, unreadCount: 40 });
    }
    const own = conversationPageSchema.parse((await suite.app.http().get('/api/conversations').set(bearer(sender))).body);
    expect(own.conversations.find((c) => c.id === conversationId)).toMatchObject({ lastReadSeq: 41, unreadCount: 0 });
  });
});
