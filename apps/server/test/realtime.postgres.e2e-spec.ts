import { randomUUID } from 'node:crypto';
import { messagePageSchema } from '@chat/shared';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUser, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, collect, connectSocket, emitWithAck, sleep, syncHistory } from './support/sockets';
import { startTestCluster, useProductionNodes } from './support/test-app';
import { useSocketCluster } from './support/socket-suite';

type Cluster = Awaited<ReturnType<typeof startTestCluster>>;

describe('real-time core across two nodes (PostgreSQL + Redis)', () => {
  const cluster = useSocketCluster(2, { MESSAGE_RATE_LIMIT: '1000' });
  const { node, open } = cluster;
  let alice: SignedIn;
  let bob: SignedIn;
  let conversationId: string;
  const send = (socket: ClientSocket, content: string, id = conversationId, clientMessageId = randomUUID()) =>
    emitWithAck(socket, 'message:send', { conversationId: id, content, clientMessageId });

  beforeAll(async () => {
    [alice, bob] = await registerUsers(node(0), 2);
    conversationId = (await createDirect(node(0), alice, bob)).id;
  });

  it('delivers a message sent on node 1 to a socket on node 2, and typing too', async () => {
    const onOne = await open(0, alice);
    const onTwo = await open(1, bob);
    const received = collect(onTwo, 'message:received');
    const typing = collect(onTwo, 'typing:started');
    onOne.emit('typing:start', { conversationId });
    await typing.waitFor(1);
    const ack = await send(onOne, 'across nodes');
    expect(ack.ok).toBe(true);
    expect((await received.waitFor(1))[0].message).toMatchObject({ id: ack.messageId, content: 'across nodes' });
  });

  it('stores one row when the same clientMessageId arrives on both nodes at once', async () => {
    const onOne = await open(0, alice);
    const onTwo = await open(1, alice);
    const clientMessageId = randomUUID();
    const acks = await Promise.all([send(onOne, 'twice?', conversationId, clientMessageId), send(onTwo, 'twice?', conversationId, clientMessageId)]);
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(acks[0].messageId).toBe(acks[1].messageId);
    const history = messagePageSchema.parse((await node(1).http().get(`/api/conversations/${conversationId}/messages?limit=100`).set(bearer(bob))).body);
    expect(history.messages.filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);
  });

  it('keeps seq gapless and strictly increasing for 20 concurrent senders split over two nodes', async () => {
    const team = await registerUsers(node(0), 4);
    const group = await createGroup(node(0), team[0], team.slice(1), { title: 'Race' });
    const teamSockets = await Promise.all(team.map((u, i) => open(i % 2, u)));
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => send(teamSockets[i % 4], `race ${i}`, group.id)));
    expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('moves a new member into the room on every node', async () => {
    const carol = await registerUser(node(0));
    const carolOnTwo = await open(1, carol);
    const changed = collect(carolOnTwo, 'conversation:changed');
    const received = collect(carolOnTwo, 'message:received');
    const group = await createGroup(node(0), alice, [carol], { title: 'Hello Carol' });
    await changed.waitFor(1);
    await send(await open(0, alice), 'hi carol', group.id);
    expect((await received.waitFor(1))[0].message.content).toBe('hi carol');
  });
});

describe('message rate limit across nodes', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startTestCluster(2, { MESSAGE_RATE_LIMIT: '4' });
  });
  afterAll(() => cluster?.close());

  it('is one budget per user whichever node takes the message', async () => {
    const [alice, bob] = await registerUsers(cluster.nodes[0], 2);
    const id = (await createDirect(cluster.nodes[0], alice, bob)).id;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const target = cluster.nodes[i % 2];
      statuses.push(
        (
          await target
            .http()
            .post(`/api/conversations/${id}/messages`)
            .set(bearer(alice))
            .send({ content: `m${i}`, clientMessageId: randomUUID() })
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });
});

/** A client as the web app behaves: resends what was never acknowledged, then catches up. */
class ResendingClient {
  readonly pending = new Map<string, string>();
  readonly acked = new Map<string, string>();
  socket?: ClientSocket;

  constructor(
    readonly user: SignedIn,
    readonly conversationId: string,
  ) {}

  async connect(baseUrl: string) {
    this.socket = await connectSocket(baseUrl, this.user.auth.accessToken);
  }

  async sendNext(label: string) {
    const clientMessageId = randomUUID();
    this.pending.set(clientMessageId, label);
    await this.attempt(clientMessageId);
  }

  async resendPending() {
    for (const clientMessageId of [...this.pending.keys()]) await this.attempt(clientMessageId);
  }

  private async attempt(clientMessageId: string) {
    try {
      const ack = await emitWithAck(
        this.socket!,
        'message:send',
        { conversationId: this.conversationId, content: this.pending.get(clientMessageId)!, clientMessageId },
        2_000,
      );
      if (ack.ok) {
        this.pending.delete(clientMessageId);
        this.acked.set(clientMessageId, ack.messageId);
      }
    } catch {
      // No ack (node gone): stays pending and is sent again after reconnecting.
    }
  }
}

describe('a node killed with SIGKILL mid-stream', () => {
  const deployment = useProductionNodes(2, { MESSAGE_RATE_LIMIT: '100000' });
  const { nodes } = deployment;

  it('loses no acknowledged message, duplicates none, and every client ends with the database history', async () => {
    // 50 clients sending at once, as the hardening brief asks.
    const users = await registerUsers(nodes[1], 50);
    const group = await createGroup(nodes[1], users[0], users.slice(1), { title: 'Crash' });
    const clients = users.map((u) => new ResendingClient(u, group.id));
    await Promise.all(clients.map((c) => c.connect(nodes[0].baseUrl)));

    // Everyone sends on node 1; it dies while messages are in flight.
    let stop = false;
    const loops = clients.map(async (client, i) => {
      for (let n = 0; !stop && n < 200; n++) await client.sendNext(`client ${i} message ${n}`);
    });
    while (clients.reduce((sum, c) => sum + c.acked.size, 0) < 200) await sleep(10);
    nodes[0].child.kill('SIGKILL');
    await nodes[0].exited;
    stop = true;
    await Promise.all(loops);

    // They reconnect to node 2 and resend whatever was never acknowledged.
    for (const client of clients) {
      client.socket?.close();
      await client.connect(nodes[1].baseUrl);
      await client.resendPending();
      expect(client.pending.size).toBe(0);
    }

    const db = new Client({ connectionString: deployment.infra.databaseUrl });
    await db.connect();
    try {
      const rows = (await db.query('select id, seq, sender_id, client_message_id from messages where conversation_id = $1 order by seq', [group.id])).rows;
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      expect(new Set(rows.map((r) => `${r.sender_id}:${r.client_message_id}`)).size).toBe(rows.length);
      const stored = new Set(rows.map((r) => r.id));
      const ackedIds = clients.flatMap((c) => [...c.acked.values()]);
      for (const id of ackedIds) expect(stored.has(id)).toBe(true);
      expect(rows.length).toBe(ackedIds.length);

      // Catch-up gives every client exactly the database history, in order.
      for (const client of clients) {
        const history = await syncHistory(client.socket!, group.id);
        expect(history.map((m) => m.id)).toEqual(rows.map((r) => r.id));
      }
    } finally {
      await db.end();
      for (const client of clients) client.socket?.close();
    }
  });
});
