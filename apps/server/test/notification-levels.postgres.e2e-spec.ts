import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers } from './support/builders';
import { collect } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';

describe('notification levels across two nodes (PostgreSQL + Redis)', () => {
  const { node, open } = useSocketCluster(2);

  it("a change made through one node reaches the user's sockets on the other, and nobody else's", async () => {
    const [ann, ben] = await registerUsers(node(0), 2);
    const { id } = await createGroup<{ id: string }>(node(0), ann, [ben], { title: 'Across' });
    const [annOnB, benOnB] = await Promise.all([open(1, ann), open(1, ben)]);
    const annHeard = collect(annOnB, 'conversation:notifications');
    const benHeard = collect(benOnB, 'conversation:notifications');
    const mutedUntil = new Date(Date.now() + 60 * 60 * 1000).toISOString();

    const res = await node(0).http().patch(`/api/conversations/${id}/notifications`).set(bearer(ann)).send({ level: 'mentions', mutedUntil }).expect(200);

    const notifications = { level: 'mentions', custom: true, mutedUntil };
    expect(res.body).toEqual(notifications);
    expect(await annHeard.waitFor(1)).toEqual([{ conversationId: id, notifications }]);
    const onB = (await node(1).http().get(`/api/conversations/${id}`).set(bearer(ann)).expect(200)).body as { notifications: unknown };
    expect(onB.notifications).toEqual(notifications);
    expect(benHeard.items).toEqual([]);
  });
});
