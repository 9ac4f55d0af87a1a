import { randomUUID } from 'node:crypto';
import { conversationPageSchema } from '@chat/shared';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers } from './support/builders';
import { type ClientSocket, connectSocket, emitWithAck, sleep } from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';

const HOLD = 4242;

describe('a read never waits for sends in flight', () => {
  let app: TestApp;
  let client: Client;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_RATE_LIMIT: '100000' }, 'postgres');
    client = new Client({ connectionString: app.infra.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await client?.end();
    await app?.close();
  });

  it('a receipt:read is answered while sends into the same group hold their locks, and the counts are exact after', async () => {
    const [sender, reader, third] = await registerUsers(app, 3);
    const conversationId = (await createGroup(app, sender, [reader, third], { title: 'Held' })).id;
    const first = await app
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(sender))
      .send({ content: 'first', clientMessageId: randomUUID() });
    const senderSocket = await connectSocket(app.baseUrl, sender.auth.accessToken);
    const readerSocket = await connectSocket(app.baseUrl, reader.auth.accessToken);
    sockets.push(senderSocket, readerSocket);

    // Sends stop at the end of their statement, every row they write written and locked, until released.
    await client.query(`
      create function test_hold_send() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock_shared(${HOLD}); return null; end $$;
      create trigger test_hold_send after insert on messages for each row execute function test_hold_send();`);
    await client.query('select pg_advisory_lock($1)', [HOLD]);
    let released = false;
    try {
      let acked = 0;
      const burst = Array.from({ length: 5 }, (_, i) =>
        emitWithAck(senderSocket, 'message:send', { conversationId, content: `held ${i}`, clientMessageId: randomUUID(), contentType: 'text' }, 20_000).then(
          (ack) => {
            acked++;
            return ack;
          },
        ),
      );
      // One send waits on the hold with its rows locked; the others queue on the conversation row behind it.
      for (;;) {
        const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
        if (rows[0].n > 0) break;
        await sleep(20);
      }

      const read = await emitWithAck(readerSocket, 'receipt:read', { conversationId, messageId: first.body.id as string });
      expect(read).toMatchObject({ ok: true, lastReadSeq: 1 });
      expect(acked).toBe(0);

      await client.query('select pg_advisory_unlock($1)', [HOLD]);
      released = true;
      const acks = await Promise.all(burst);
      expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true]);
      expect(acks.map((ack) => (ack.ok ? ack.seq : 0)).sort()).toEqual([2, 3, 4, 5, 6]);
    } finally {
      if (!released) await client.query('select pg_advisory_unlock($1)', [HOLD]);
      await client.query('drop trigger test_hold_send on messages; drop function test_hold_send();');
    }

    const unreadOf = async (user: typeof reader) =>
      conversationPageSchema.parse((await app.http().get('/api/conversations').set(bearer(user))).body).conversations.find((c) => c.id === conversationId)!;
    expect(await unreadOf(reader)).toMatchObject({ lastReadSeq: 1, unreadCount: 5 });
    expect(await unreadOf(third)).toMatchObject({ lastReadSeq: 0, unreadCount: 6 });
    expect(await unreadOf(sender)).toMatchObject({ lastReadSeq: 6, unreadCount: 0 });
  });
});
