import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, collect, connectSocket } from './support/sockets';
import { startTestCluster } from './support/test-app';

describe('system messages across two nodes (PostgreSQL + Redis)', () => {
  let cluster: Awaited<ReturnType<typeof startTestCluster>>;
  let ada: SignedIn;
  let ben: SignedIn;
  let cy: SignedIn;
  const sockets: ClientSocket[] = [];
  const node = (i: number) => cluster.nodes[i];

  beforeAll(async () => {
    cluster = await startTestCluster(2);
    [ada, ben, cy] = await registerUsers(node(0), 3, (i) => ({ displayName: ['Ada', 'Ben', 'Cy'][i] }));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it('a change made on one node reaches members on the other; the removed member gets only the notice', async () => {
    const id = (await createGroup(node(0), ada, [ben, cy], { title: 'Team' })).id;
    const benSocket = await connectSocket(node(1).baseUrl, ben.auth.accessToken);
    const cySocket = await connectSocket(node(1).baseUrl, cy.auth.accessToken);
    sockets.push(benSocket, cySocket);
    const benReceived = collect(benSocket, 'message:received');
    const cyReceived = collect(cySocket, 'message:received');
    const cyRemoved = collect(cySocket, 'conversation:removed');

    expect((await node(0).http().patch(`/api/conversations/${id}`).set(bearer(ada)).send({ title: 'Launch' })).status).toBe(200);
    expect((await node(0).http().delete(`/api/conversations/${id}/participants/${cy.auth.user.id}`).set(bearer(ada))).status).toBe(204);

    expect((await benReceived.waitFor(2)).map((e) => e.message.content)).toEqual(['Ada renamed the group to "Launch"', 'Ada removed Cy']);
    expect((await cyRemoved.waitFor(1))[0]).toEqual({
      conversationId: id,
      reason: 'removed',
      by: { id: ada.auth.user.id, displayName: 'Ada' },
      title: 'Launch',
    });
    expect(cyReceived.items.map((e) => e.message.content)).toEqual(['Ada renamed the group to "Launch"']);
  });
});
