import { randomUUID } from 'node:crypto';
import { conversationPageSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { collect, emitWithAck } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';
import type { TestApp } from './support/test-app';

describe('mentions across two nodes (PostgreSQL + Redis)', () => {
  const { node, open } = useSocketCluster(2, { MESSAGE_RATE_LIMIT: '1000' });

  const mentionCount = async (target: TestApp, user: SignedIn, conversationId: string) =>
    conversationPageSchema
      .parse((await target.http().get('/api/conversations?limit=100').set(bearer(user)).expect(200)).body)
      .conversations.find((c) => c.id === conversationId)!.mentionCount;

  it('a mention sent on one node reaches the other and counts there; a read there clears it on the first node', async () => {
    const [ann, ben, cat] = await registerUsers(node(0), 3);
    const { id } = await createGroup<{ id: string }>(node(0), ann, [ben, cat], { title: 'Across' });
    const annOnA = await open(0, ann);
    const [benOnB, benOnA] = await Promise.all([open(1, ben), open(0, ben)]);
    const received = collect(benOnB, 'message:received');
    const readElsewhere = collect(benOnA, 'conversation:read');

    const ack = await emitWithAck(annOnA, 'message:send', {
      conversationId: id,
      clientMessageId: randomUUID(),
      content: '@Ben can you look?',
      mentions: { userIds: [ben.auth.user.id] },
    });

    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    const [event] = await received.waitFor(1);
    expect(event.message).toMatchObject({ id: ack.message.id, mentions: { userIds: [ben.auth.user.id], everyone: false } });
    expect(await mentionCount(node(1), ben, id)).toBe(1);

    expect(await emitWithAck(benOnB, 'receipt:read', { conversationId: id, messageId: ack.message.id })).toMatchObject({ ok: true, mentionCount: 0 });
    const [read] = await readElsewhere.waitFor(1);
    expect(read).toMatchObject({ conversationId: id, unreadCount: 0, mentionCount: 0 });
    expect(await mentionCount(node(0), ben, id)).toBe(0);
  });
});
