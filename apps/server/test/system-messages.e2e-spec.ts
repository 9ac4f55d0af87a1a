import { randomUUID } from 'node:crypto';
import { conversationPageSchema, type Message, messagePageSchema, syncResultSchema } from '@chat/shared';
import { eq } from 'drizzle-orm';
import { messages as messagesTable } from '@chat/db';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, emitWithAck } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

describe('system messages: group changes leave a trace', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '1000' });
  const open = suite.open;
  const people = (names: string[]) => registerUsers(suite.app, names.length, (i) => ({ displayName: names[i] }));
  const group = async (owner: SignedIn, members: SignedIn[], title = 'Team') => (await createGroup(suite.app, owner, members, { title })).id;
  const say = async (user: SignedIn, conversationId: string, content: string) => {
    const res = await suite.app.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(user)).send({ content, clientMessageId: randomUUID() });
    expect(res.status).toBe(201);
    return res.body as Message;
  };
  const rename = (as: SignedIn, id: string, title: string) => suite.app.http().patch(`/api/conversations/${id}`).set(bearer(as)).send({ title });
  const add = (as: SignedIn, id: string, users: SignedIn[]) =>
    suite.app
      .http()
      .post(`/api/conversations/${id}/participants`)
      .set(bearer(as))
      .send({ userIds: users.map((u) => u.auth.user.id) });
  const remove = (as: SignedIn, id: string, user: SignedIn) =>
    suite.app.http().delete(`/api/conversations/${id}/participants/${user.auth.user.id}`).set(bearer(as));
  const leave = (as: SignedIn, id: string) => suite.app.http().delete(`/api/conversations/${id}/leave`).set(bearer(as));
  const history = async (as: SignedIn, id: string) => {
    const res = await suite.app.http().get(`/api/conversations/${id}/messages?limit=100`).set(bearer(as));
    expect(res.status).toBe(200);
    return messagePageSchema.parse(res.body).messages;
  };
  const listed = async (as: SignedIn, id: string) =>
    conversationPageSchema.parse((await suite.app.http().get('/api/conversations?limit=100').set(bearer(as))).body).conversations.find((c) => c.id === id);
  const storedCount = (id: string) => dbProbe(suite.app).db.$count(messagesTable, eq(messagesTable.conversationId, id));
  const user = (u: SignedIn) => ({ id: u.auth.user.id, displayName: u.input.displayName });

  it('records every kind of change in the seq, live to every current member, in history and in sync catch-up', async () => {
    const [ada, ben, cy, dee, eve] = await people(['Ada', 'Ben', 'Cy', 'Dee', 'Eve']);
    const id = await group(ada, [ben, cy], 'Team');
    const [adaSocket, benSocket, cySocket, deeSocket] = await Promise.all([open(ada), open(ben), open(cy), open(dee)]);
    const received = new Map([ada, ben, cy, dee].map((u, i) => [u, collect([adaSocket, benSocket, cySocket, deeSocket][i], 'message:received')]));
    const cyRemoved = collect(cySocket, 'conversation:removed');
    const benRemoved = collect(benSocket, 'conversation:removed');

    await say(ada, id, 'hello');
    expect((await rename(ada, id, 'Launch')).status).toBe(200);
    expect((await suite.app.http().patch(`/api/conversations/${id}`).set(bearer(ada)).send({ isPublic: true })).status).toBe(200);
    expect((await add(ada, id, [dee])).status).toBe(200);
    expect((await suite.app.http().post(`/api/conversations/${id}/join`).set(bearer(eve))).status).toBe(200);
    expect((await remove(ada, id, cy)).status).toBe(204);
    await say(dee, id, 'welcome, Eve');
    expect((await leave(ben, id)).status).toBe(204);

    const expected = [
      { seq: 1, contentType: 'text', system: null, content: 'hello', sender: user(ada) },
      {
        seq: 2,
        contentType: 'system',
        system: { kind: 'renamed', title: 'Launch', previousTitle: 'Team' },
        content: 'Ada renamed the group to "Launch"',
        sender: user(ada),
      },
      { seq: 3, contentType: 'system', system: { kind: 'visibility_changed', isPublic: true }, content: 'Ada made the group public', sender: user(ada) },
      { seq: 4, contentType: 'system', system: { kind: 'members_added', users: [user(dee)] }, content: 'Ada added Dee', sender: user(ada) },
      { seq: 5, contentType: 'system', system: { kind: 'member_joined' }, content: 'Eve joined', sender: user(eve) },
      { seq: 6, contentType: 'system', system: { kind: 'member_removed', users: [user(cy)] }, content: 'Ada removed Cy', sender: user(ada) },
      { seq: 7, contentType: 'text', system: null, content: 'welcome, Eve', sender: user(dee) },
      { seq: 8, contentType: 'system', system: { kind: 'member_left', newOwner: null }, content: 'Ben left', sender: user(ben) },
    ];
    const stored = await history(ada, id);
    expect(stored).toMatchObject(expected);

    // Live: each member got what was said while they were in the group, and nothing else.
    const seqsOf = async (u: SignedIn, count: number) => (await received.get(u)!.waitFor(count)).map((e) => e.message.seq);
    expect(await seqsOf(ben, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await seqsOf(cy, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(await seqsOf(dee, 5)).toEqual([4, 5, 6, 7, 8]);
    expect(await seqsOf(ada, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(received.get(ada)!.items.map((e) => e.message)).toEqual(stored);

    // The removed member is told who removed them from what, and never sees the message about it.
    const [removal] = await cyRemoved.waitFor(1);
    expect(removal).toEqual({ conversationId: id, reason: 'removed', by: user(ada), title: 'Launch' });
    const [left] = await benRemoved.waitFor(1);
    expect(left).toMatchObject({ conversationId: id, reason: 'left', title: 'Launch' });
    expect(left).not.toHaveProperty('by');
    expect(received.get(cy)!.items).toHaveLength(5);
    expect(received.get(ben)!.items).toHaveLength(7);

    // Catch-up after the first message returns the rest, in order, exactly as history has them.
    const ack = await emitWithAck(await open(dee), 'sync', { conversations: [{ conversationId: id, afterSeq: 1 }] });
    expect(ack.ok).toBe(true);
    const [page] = syncResultSchema.parse(ack).conversations;
    expect(page.messages).toEqual(stored.slice(1));

    // The sidebar previews the newest change.
    expect((await listed(dee, id))?.lastMessage).toMatchObject({
      seq: 8,
      preview: 'Ben left',
      senderName: 'Ben',
      system: { kind: 'member_left', newOwner: null },
    });
  });

  it('names the new owner when the owner leaves, and lists several added people in one message', async () => {
    const [ada, ben, cy, dee, eve, fay] = await people(['Ada', 'Ben', 'Cy', 'Dee', 'Eve', 'Fay']);
    const id = await group(ada, [ben]);
    expect((await add(ada, id, [cy, dee])).status).toBe(200);
    expect((await add(ada, id, [eve, fay, cy])).status).toBe(200);
    expect((await leave(ada, id)).status).toBe(204);
    const stored = await history(ben, id);
    expect(stored.map((m) => m.content)).toEqual(['Ada added Cy and Dee', 'Ada added Eve and Fay', "Ada left. The group's owner is now Ben"]);
    // Someone already in the group is not announced again.
    expect(stored[1].system).toEqual({ kind: 'members_added', users: [user(eve), user(fay)] });
    expect(stored[2].system).toEqual({ kind: 'member_left', newOwner: user(ben) });
  });

  it('counts a change as unread for the other members, never for the one who made it', async () => {
    const [ada, ben, cy] = await people(['Ada', 'Ben', 'Cy']);
    const id = await group(ada, [ben]);
    expect((await rename(ada, id, 'Renamed')).status).toBe(200);
    expect((await listed(ada, id))?.unreadCount).toBe(0);
    expect((await listed(ben, id))?.unreadCount).toBe(1);

    // Ada has two unread messages when she renames again: they stay unread, her own change does not add one.
    await say(ben, id, 'one');
    await say(ben, id, 'two');
    expect((await rename(ada, id, 'Again')).status).toBe(200);
    expect(await listed(ada, id)).toMatchObject({ unreadCount: 2, lastReadSeq: 1 });
    expect((await listed(ben, id))?.unreadCount).toBe(1);

    // Someone added starts with nothing unread, the message that added them included; later ones count.
    expect((await add(ada, id, [cy])).status).toBe(200);
    expect((await listed(cy, id))?.unreadCount).toBe(0);
    expect((await listed(ben, id))?.unreadCount).toBe(2);
    await say(ben, id, 'hi Cy');
    expect((await listed(cy, id))?.unreadCount).toBe(1);
  });

  it('a member who joins a public group starts with nothing unread and the others see the join as unread', async () => {
    const [ada, ben, cy] = await people(['Ada', 'Ben', 'Cy']);
    const id = (await createGroup(suite.app, ada, [ben], { title: 'Open', isPublic: true })).id;
    await say(ben, id, 'before Cy');
    expect((await suite.app.http().post(`/api/conversations/${id}/join`).set(bearer(cy))).status).toBe(200);
    expect((await listed(cy, id))?.unreadCount).toBe(0);
    expect((await listed(ada, id))?.unreadCount).toBe(2);
    expect((await history(cy, id)).map((m) => m.content)).toEqual(['before Cy', 'Cy joined']);
    // Joining again changes nothing and says nothing.
    expect((await suite.app.http().post(`/api/conversations/${id}/join`).set(bearer(cy))).status).toBe(200);
    expect(await storedCount(id)).toBe(2);
  });

  it('writes nothing for a change that fails or changes nothing', async () => {
    const [ada, ben, cy] = await people(['Ada', 'Ben', 'Cy']);
    const id = await group(ada, [ben], 'Same');
    expect((await rename(ben, id, 'Mine')).status).toBe(403);
    expect((await add(ben, id, [cy])).status).toBe(403);
    expect((await remove(ben, id, ada)).status).toBe(403);
    expect((await remove(ada, id, cy)).status).toBe(404);
    expect((await add(ada, id, [ben])).status).toBe(200);
    expect((await rename(ada, id, 'Same')).status).toBe(200);
    expect((await suite.app.http().patch(`/api/conversations/${id}`).set(bearer(ada)).send({ isPublic: false })).status).toBe(200);
    expect(await storedCount(id)).toBe(0);
    expect(await listed(ben, id)).toMatchObject({ lastSeq: 0, unreadCount: 0, lastMessage: null });
  });

  it('says nothing in a direct conversation, nor when the last member ends a group', async () => {
    const [ada, ben] = await people(['Ada', 'Ben']);
    const direct = (await createDirect(suite.app, ada, ben)).id;
    expect((await leave(ada, direct)).status).toBe(204);
    expect(await storedCount(direct)).toBe(0);

    const id = await group(ada, [ben]);
    expect((await leave(ben, id)).status).toBe(204);
    expect((await leave(ada, id)).status).toBe(204);
    const [only] = await dbProbe(suite.app).db.select().from(messagesTable).where(eq(messagesTable.conversationId, id));
    expect(await storedCount(id)).toBe(1);
    expect(only).toMatchObject({ contentType: 'system', content: 'Ben left' });
  });

  it('tells every member who deleted the group and what it was called', async () => {
    const [ada, ben] = await people(['Ada', 'Ben']);
    const id = await group(ada, [ben], 'Short-lived');
    const removed = collect(await open(ben), 'conversation:removed');
    expect((await suite.app.http().delete(`/api/conversations/${id}`).set(bearer(ada))).status).toBe(204);
    expect((await removed.waitFor(1))[0]).toEqual({ conversationId: id, reason: 'deleted', by: user(ada), title: 'Short-lived' });
  });

  it('keeps the record: nobody edits or deletes a system message, not even the one who made the change', async () => {
    const [ada, ben] = await people(['Ada', 'Ben']);
    const id = await group(ada, [ben]);
    expect((await rename(ada, id, 'Launch')).status).toBe(200);
    const [record] = await history(ada, id);
    for (const as of [ada, ben]) {
      const edited = await suite.app.http().patch(`/api/conversations/${id}/messages/${record.id}`).set(bearer(as)).send({ content: 'Ada did nothing' });
      expect(edited.status).toBe(403);
      expect(edited.body.code).toBe('SYSTEM_MESSAGE');
      const deleted = await suite.app.http().delete(`/api/conversations/${id}/messages/${record.id}`).set(bearer(as));
      expect(deleted.status).toBe(403);
      expect(deleted.body.code).toBe('SYSTEM_MESSAGE');
    }
    expect(await history(ben, id)).toEqual([record]);
  });

  it('refuses a system message from a user, over HTTP and over the socket', async () => {
    const [ada, ben] = await people(['Ada', 'Ben']);
    const id = await group(ada, [ben]);
    const http = await suite.app
      .http()
      .post(`/api/conversations/${id}/messages`)
      .set(bearer(ada))
      .send({ content: 'Ben left', contentType: 'system', clientMessageId: randomUUID() });
    expect(http.status).toBe(400);
    expect(http.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const clientMessageId = randomUUID();
    const ack = await emitWithAck(await open(ada), 'message:send', {
      conversationId: id,
      content: 'Ben left',
      contentType: 'system' as 'text',
      clientMessageId,
    });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    expect(await storedCount(id)).toBe(0);
  });
});
