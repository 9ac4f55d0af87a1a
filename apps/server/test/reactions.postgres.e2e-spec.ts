import { messageReactions, messages } from '@chat/db';
import { type Message, type MessagePage, type MessageReactionsEvent, reactionStateSchema } from '@chat/shared';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, sendMessage } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, emitWithAck } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';

describe('reactions across two nodes (PostgreSQL + Redis)', () => {
  const { node, open } = useSocketCluster(2, { MESSAGE_RATE_LIMIT: '1000' });

  /** The totals as the database holds them, in the order clients are given them. */
  async function storedTotals(messageId: string) {
    const { db } = dbProbe(node(0));
    const rows = await db
      .select({ emoji: messageReactions.emoji, count: sql<number>`count(*)::int` })
      .from(messageReactions)
      .where(eq(messageReactions.messageId, messageId))
      .groupBy(messageReactions.emoji)
      .orderBy(sql`min(${messageReactions.createdAt})`, messageReactions.emoji);
    const [message] = await db.select({ version: messages.reactionsVersion }).from(messages).where(eq(messages.id, messageId));
    return { reactions: rows, reactionsVersion: message.version };
  }

  /** What a client that applies only newer versions ends up showing. */
  const applied = (events: MessageReactionsEvent[]) => events.reduce((newest, event) => (event.reactionsVersion > newest.reactionsVersion ? event : newest));

  it('concurrent toggles from many users on both nodes end with exact totals, in the database and in the last event each client applied', async () => {
    const people = await registerUsers(node(0), 20);
    const [owner, ...members] = people;
    const { id } = await createGroup<{ id: string }>(node(0), owner, members, { title: 'Busy' });
    const message = await sendMessage<Message>(node(0), owner, id, 'vote here');
    const sockets = await Promise.all(people.map((user, i) => open(i % 2, user)));
    const watchers = [collect(sockets[0], 'message:reactions'), collect(sockets[1], 'message:reactions')];

    // Everyone adds 👍 and 🎉 at once; then every third takes 👍 back while others add ✅.
    const add = (i: number, emoji: string) => emitWithAck(sockets[i], 'reaction:add', { conversationId: id, messageId: message.id, emoji });
    const remove = (i: number, emoji: string) => emitWithAck(sockets[i], 'reaction:remove', { conversationId: id, messageId: message.id, emoji });
    const firstWave = await Promise.all(people.flatMap((_, i) => [add(i, '👍'), add(i, i % 2 === 0 ? ':tada:' : '🎉')]));
    const removers = people.map((_, i) => i).filter((i) => i % 3 === 0);
    const adders = people.map((_, i) => i).filter((i) => i % 3 !== 0);
    const secondWave = await Promise.all([...removers.map((i) => remove(i, '👍')), ...adders.map((i) => add(i, '✅')), ...removers.map((i) => add(i, '👍'))]);
    for (const ack of [...firstWave, ...secondWave]) expect(ack.ok, JSON.stringify(ack)).toBe(true);

    const changes = firstWave.length + secondWave.length;
    const stored = await storedTotals(message.id);
    // Removers took 👍 back and added it again, racing with themselves: they may end either way, so
    // the database, not the test, says how many hold it; the events must agree with it exactly.
    expect(stored.reactions.find((r) => r.emoji === '🎉')).toEqual({ emoji: '🎉', count: 20 });
    expect(stored.reactions.find((r) => r.emoji === '✅')).toEqual({ emoji: '✅', count: adders.length });
    const thumbs = stored.reactions.find((r) => r.emoji === '👍')!.count;
    expect(thumbs).toBeGreaterThanOrEqual(20 - removers.length);
    expect(thumbs).toBeLessThanOrEqual(20);
    // One version per change that wrote, and no more.
    expect(stored.reactionsVersion).toBe(changes - (20 - thumbs));

    for (const watcher of watchers) {
      const events = await watcher.waitFor(stored.reactionsVersion);
      expect(new Set(events.map((e) => e.reactionsVersion)).size).toBe(stored.reactionsVersion);
      const last = applied(events);
      expect({ reactions: last.reactions, reactionsVersion: last.reactionsVersion }).toEqual(stored);
    }

    // `me` per viewer, read from either node.
    const seen = async (i: number) => {
      const page = (
        await node(i % 2)
          .http()
          .get(`/api/conversations/${id}/messages`)
          .set(bearer(people[i]))
          .expect(200)
      ).body as MessagePage;
      return page.messages.find((m) => m.id === message.id)!;
    };
    const remover = await seen(removers[0]);
    const adder = await seen(adders[0]);
    expect(adder.reactions.find((r) => r.emoji === '✅')).toMatchObject({ count: adders.length, me: true });
    expect(remover.reactions.find((r) => r.emoji === '✅')).toMatchObject({ count: adders.length, me: false });
    expect(adder.reactions.find((r) => r.emoji === '🎉')).toMatchObject({ count: 20, me: true });
    expect(adder.reactionsVersion).toBe(stored.reactionsVersion);
  });

  it('a change on one node reaches sockets on the other; a client offline meanwhile catches up with sync', async () => {
    const [ann, ben, cat] = await registerUsers(node(0), 3);
    const { id } = await createGroup<{ id: string }>(node(0), ann, [ben, cat], { title: 'Across' });
    const message = await sendMessage<Message>(node(0), ann, id, 'look');
    const annOnA = await open(0, ann);
    const benOnB = await open(1, ben);
    const catOnB = await open(1, cat);
    const benHears = collect(benOnB, 'message:reactions');

    // Cat reads, then goes offline.
    const before = await emitWithAck(catOnB, 'sync', { conversations: [{ conversationId: id, afterSeq: 0 }] });
    const { lastSeq, syncedAt } = before.conversations[0];
    catOnB.close();

    const ack = await emitWithAck(annOnA, 'reaction:add', { conversationId: id, messageId: message.id, emoji: ':eyes:' });
    expect(reactionStateSchema.parse({ ...ack, ok: undefined })).toMatchObject({ reactions: [{ emoji: '👀', count: 1, me: true }] });
    const [event] = await benHears.waitFor(1);
    expect(event).toMatchObject({ messageId: message.id, reactionsVersion: 1, change: { userId: ann.auth.user.id, emoji: '👀', on: true } });
    const benAck = await emitWithAck(benOnB, 'reaction:add', { conversationId: id, messageId: message.id, emoji: '👀' });
    expect(benAck).toMatchObject({ ok: true, reactionsVersion: 2, reactions: [{ emoji: '👀', count: 2, me: true }] });

    const catBack = await open(0, cat);
    const caughtUp = await emitWithAck(catBack, 'sync', { conversations: [{ conversationId: id, afterSeq: lastSeq, updatedSince: syncedAt }] });
    expect(caughtUp.conversations[0].updates).toEqual([
      expect.objectContaining({ id: message.id, reactionsVersion: 2, reactions: [{ emoji: '👀', count: 2, me: false }] }),
    ]);
  });
});
