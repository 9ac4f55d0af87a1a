import { randomUUID } from 'node:crypto';
import { conversationPageSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, registerUsers, type SignedIn } from './support/builders';
import { emitWithAck } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

/**
 * A send moves the sender's read marker only over messages the sender's client holds
 * (`readUpToSeq`), so messages it never received stay unread until they are shown and read.
 */
describe('read markers move only over what the sender has', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000' });
  const open = suite.open;
  const direct = async (a: SignedIn, b: SignedIn) => (await createDirect(suite.app, a, b)).id;
  const post = (user: SignedIn, conversationId: string, body: Record<string, unknown>) =>
    suite.app
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(user))
      .send({ content: 'hi', clientMessageId: randomUUID(), ...body });
  const say = async (user: SignedIn, conversationId: string, body: Record<string, unknown> = {}) => {
    const res = await post(user, conversationId, body);
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number };
  };
  const summary = async (user: SignedIn, conversationId: string) =>
    conversationPageSchema
      .parse((await suite.app.http().get('/api/conversations?limit=100').set(bearer(user))).body)
      .conversations.find((c) => c.id === conversationId)!;
  const unread = async (user: SignedIn, conversationId: string) => (await summary(user, conversationId)).unreadCount;
  const readOverHttp = async (user: SignedIn, conversationId: string, messageId: string) => {
    const res = await suite.app.http().post(`/api/conversations/${conversationId}/read`).set(bearer(user)).send({ messageId });
    expect(res.status).toBe(200);
    return res.body as { lastReadSeq: number; unreadCount: number };
  };

  /** A and B in a direct chat; A's client holds everything up to B's first message (seq k). */
  const scenario = async () => {
    const [a, b] = await registerUsers(suite.app, 2);
    const id = await direct(a, b);
    const held = await say(b, id, { content: 'seen by A' });
    await readOverHttp(a, id, held.id);
    const missed = [await say(b, id, { content: 'one' }), await say(b, id, { content: 'two' }), await say(b, id, { content: 'three' })];
    return { a: a, b: b, id, k: held.seq, held, missed };
  };

  it('a socket send from a client missing 3 messages leaves exactly those 3 unread until they are read', async () => {
    const { a, b, id, k, held, missed } = await scenario();
    const socket = await open(a);
    const ack = await emitWithAck(socket, 'message:send', {
      conversationId: id,
      content: 'sent while behind',
      clientMessageId: randomUUID(),
      contentType: 'text',
      readUpToSeq: k,
    });
    expect(ack).toMatchObject({ ok: true, seq: k + 4 });

    expect(await unread(a, id)).toBe(3);
    expect((await summary(a, id)).lastReadSeq).toBe(k);
    // Re-reading what A already had changes nothing; the ack carries the same count.
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: held.id })).toMatchObject({ ok: true, lastReadSeq: k, unreadCount: 3 });
    // B's view is untouched: A's message is unread for B.
    expect(await unread(b, id)).toBe(1);

    // A's screen shows B's 3 and reads the newest of them: A's own message above it is not unread.
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: missed[2].id })).toMatchObject({
      ok: true,
      lastReadSeq: k + 3,
      unreadCount: 0,
    });
    expect(await unread(a, id)).toBe(0);
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: ack.messageId })).toMatchObject({
      ok: true,
      lastReadSeq: k + 4,
      unreadCount: 0,
    });
  });

  it('the same over HTTP, and an own message deleted above the marker is not subtracted twice', async () => {
    const { a, id, k, missed } = await scenario();
    const first = await say(a, id, { content: 'behind', readUpToSeq: k });
    const second = await say(a, id, { content: 'still behind', readUpToSeq: k });
    expect(second.seq).toBe(first.seq + 1);
    expect(await unread(a, id)).toBe(3);

    const deleted = await suite.app.http().delete(`/api/conversations/${id}/messages/${second.id}`).set(bearer(a));
    expect(deleted.status).toBe(204);
    expect(await unread(a, id)).toBe(3);

    expect(await readOverHttp(a, id, missed[0].id)).toEqual(expect.objectContaining({ lastReadSeq: k + 1, unreadCount: 2 }));
    expect(await readOverHttp(a, id, second.id)).toEqual(expect.objectContaining({ lastReadSeq: second.seq, unreadCount: 0 }));
    expect(await unread(a, id)).toBe(0);
  });

  it('a send from a client that holds everything before it reads everything, over both transports', async () => {
    const { a, id, k } = await scenario();
    const socket = await open(a);
    const overSocket = await emitWithAck(socket, 'message:send', {
      conversationId: id,
      content: 'caught up',
      clientMessageId: randomUUID(),
      contentType: 'text',
      readUpToSeq: k + 3,
    });
    expect(overSocket).toMatchObject({ ok: true, seq: k + 4 });
    expect(await summary(a, id)).toMatchObject({ unreadCount: 0, lastReadSeq: k + 4 });

    // readUpToSeq = S - 1 where S is the new seq, even if the client claims more than exists.
    const overHttp = await say(a, id, { readUpToSeq: k + 4 });
    expect(await summary(a, id)).toMatchObject({ unreadCount: 0, lastReadSeq: overHttp.seq });
    await say(a, id, { readUpToSeq: 1_000_000 });
    expect(await unread(a, id)).toBe(0);
  });

  it('a send without readUpToSeq moves the marker over the new message, as before', async () => {
    const { a, id, k } = await scenario();
    const socket = await open(a);
    const ack = await emitWithAck(socket, 'message:send', { conversationId: id, content: 'old client', clientMessageId: randomUUID(), contentType: 'text' });
    expect(ack).toMatchObject({ ok: true, seq: k + 4 });
    expect(await summary(a, id)).toMatchObject({ unreadCount: 0, lastReadSeq: k + 4 });

    const overHttp = await say(a, id);
    expect(await summary(a, id)).toMatchObject({ unreadCount: 0, lastReadSeq: overHttp.seq });
  });

  it('an invalid readUpToSeq is refused on both transports and stores nothing', async () => {
    const { a, id, k } = await scenario();
    const socket = await open(a);
    const before = await summary(a, id);
    for (const readUpToSeq of [-1, '3', 1.5, null]) {
      const clientMessageId = randomUUID();
      const ack = await emitWithAck(socket, 'message:send', { conversationId: id, content: 'x', clientMessageId, contentType: 'text', readUpToSeq } as never);
      expect(ack, `socket ${JSON.stringify(readUpToSeq)}`).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', clientMessageId });

      const res = await post(a, id, { clientMessageId, readUpToSeq });
      expect(res.status, `http ${JSON.stringify(readUpToSeq)}`).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: expect.any(String), message: expect.any(String) });
    }
    expect(await summary(a, id)).toMatchObject({ lastSeq: before.lastSeq, lastReadSeq: k, unreadCount: 3 });
    const history = await suite.app.http().get(`/api/conversations/${id}/messages`).set(bearer(a));
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['seen by A', 'one', 'two', 'three']);
  });
});
