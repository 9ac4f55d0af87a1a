import { randomUUID } from 'node:crypto';
import { messageReceiptsSchema } from '@chat/shared';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers } from './support/builders';
import { type ClientSocket, collect, connectSocket, emitWithAck, sleep } from './support/sockets';
import { startTestApp, startTestCluster } from './support/test-app';

const countRows = async (databaseUrl: string, sql: string, params: unknown[] = []) => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0].n as number;
  } finally {
    await client.end();
  }
};

describe('group receipts on two nodes', () => {
  let cluster: Awaited<ReturnType<typeof startTestCluster>>;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(2, { RECEIPT_FLUSH_INTERVAL_MS: '150' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it('counts concurrent reads of 12 users split over both nodes exactly, flushing each read once', async () => {
    const [node1, node2] = cluster.nodes;
    const people = await registerUsers(node1, 13);
    const [owner, ...members] = people;
    const id = (await createGroup(node1, owner, members, { title: 'Twelve' })).id;
    const ownerOnTwo = await connectSocket(node2.baseUrl, owner.auth.accessToken);
    sockets.push(ownerOnTwo);
    const counts = collect(ownerOnTwo, 'receipt:count');
    const message = await node1
      .http()
      .post(`/api/conversations/${id}/messages`)
      .set(bearer(owner))
      .send({ content: 'count us', clientMessageId: randomUUID() });

    const readerSockets = await Promise.all(members.map((m, i) => connectSocket((i % 2 ? node2 : node1).baseUrl, m.auth.accessToken)));
    sockets.push(...readerSockets);
    // Each reader sends its read twice (two devices racing); the count must still be 12.
    const acks = await Promise.all(
      readerSockets.flatMap((s) => [1, 2].map(() => emitWithAck(s, 'receipt:read', { conversationId: id, messageId: message.body.id }))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);

    const deadline = Date.now() + 5000;
    while (!counts.items.some((c) => c.count === 12) && Date.now() < deadline) await sleep(20);
    expect(counts.items.at(-1)).toMatchObject({ messageId: message.body.id, count: 12 });
    expect(counts.items.every((c) => c.count <= 12)).toBe(true);
    await sleep(400);
    expect(
      await countRows(
        cluster.infra.databaseUrl!,
        'select count(*)::int as n from read_receipts rr join messages m on m.id = rr.message_id where m.conversation_id = $1',
        [id],
      ),
    ).toBe(12);
    const readers = messageReceiptsSchema.parse((await node2.http().get(`/api/messages/${message.body.id}/receipts`).set(bearer(owner))).body);
    expect(readers).toMatchObject({ totalCount: 12, readCount: 12 });
  });
});

describe('batched receipts on shutdown', () => {
  it('flushes pending group reads when the server stops, before its pool closes', async () => {
    const t = await startTestApp({ RECEIPT_FLUSH_INTERVAL_MS: '600000' }, 'postgres');
    try {
      const [owner, ...members] = await registerUsers(t, 11);
      const id = (await createGroup(t, owner, members, { title: 'Big' })).id;
      const m = await t.http().post(`/api/conversations/${id}/messages`).set(bearer(owner)).send({ content: 'x', clientMessageId: randomUUID() });
      for (const member of members) await t.http().post(`/api/conversations/${id}/read`).set(bearer(member)).send({ messageId: m.body.id });
      expect(await countRows(t.infra.databaseUrl!, 'select count(*)::int as n from read_receipts')).toBe(0);
      await t.app.close();
      expect(await countRows(t.infra.databaseUrl!, 'select count(*)::int as n from read_receipts')).toBe(10);
    } finally {
      await t.infra.dispose();
    }
  });
});
