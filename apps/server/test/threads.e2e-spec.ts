import { randomUUID } from 'node:crypto';
import { threadFollows } from '@chat/db';
import { type Message, type MessagePage, threadPageSchema, threadReadStateSchema, threadRepliesPageSchema, type UploadedFile } from '@chat/shared';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn, signInAgain } from './support/builders';
import { dbProbe, writtenIn } from './support/db-probe';
import { idOf, messageRequests } from './support/message-requests';
import { collect, emitWithAck } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

describe('threads', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000' });
  const http = () => suite.app.http();
  const open = suite.open;
  const { post, say, listed } = messageRequests(http);
  const reply = (user: SignedIn, conversationId: string, root: Message, body: Record<string, unknown> = {}) =>
    say(user, conversationId, { content: 'in thread', threadRootId: root.id, ...body });

  const history = async (user: SignedIn, conversationId: string, query: Record<string, string | number> = {}) =>
    (await http().get(`/api/conversations/${conversationId}/messages`).query(query).set(bearer(user)).expect(200)).body as MessagePage;
  const thread = async (user: SignedIn, conversationId: string, rootId: string, query: Record<string, string | number> = {}) =>
    threadRepliesPageSchema.parse(
      (await http().get(`/api/conversations/${conversationId}/messages/${rootId}/replies`).query(query).set(bearer(user)).expect(200)).body,
    );
  const threads = async (user: SignedIn, query: Record<string, string | number> = {}) =>
    threadPageSchema.parse((await http().get('/api/threads').query(query).set(bearer(user)).expect(200)).body);
  const readThread = async (user: SignedIn, conversationId: string, rootId: string, seq: number) =>
    threadReadStateSchema.parse(
      (await http().post(`/api/conversations/${conversationId}/threads/${rootId}/read`).set(bearer(user)).send({ seq }).expect(200)).body,
    );
  const unreadOf = async (user: SignedIn, rootId: string) => (await threads(user)).threads.find((t) => t.root.id === rootId)?.unreadCount;

  /** What a refused send must leave as it was: the conversation's seq, messages and follows. */
  const written = (conversationId: string) => writtenIn(suite.app, conversationId, { follows: threadFollows });

  async function group(size = 3, title = 'Team') {
    const people = await registerUsers(suite.app, size);
    const [owner, ...members] = people;
    const { id } = await createGroup<{ id: string }>(suite.app, owner, members, { title });
    return { people, id };
  }

  it('refuses a reply to a reply, to a root of another conversation, to a deleted or system message, with 400 on threadRootId and nothing written', async () => {
    const { people, id } = await group();
    const [ann, ben] = people;
    const other = await group(2, 'Other');
    const root = await say(ann, id, { content: 'root' });
    const first = await reply(ben, id, root);
    const gone = await say(ann, id, { content: 'soon gone' });
    await http().delete(`/api/conversations/${id}/messages/${gone.id}`).set(bearer(ann)).expect(204);
    await http().patch(`/api/conversations/${id}`).set(bearer(ann)).send({ title: 'Renamed' }).expect(200);
    const system = (await history(ann, id)).messages.at(-1)!;
    expect(system.contentType).toBe('system');
    const foreign = await say(other.people[0], other.id, { content: 'elsewhere' });
    const before = await written(id);

    for (const threadRootId of [first.id, foreign.id, gone.id, system.id, randomUUID()]) {
      const res = await post(ben, id, { threadRootId });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', details: [{ path: 'threadRootId' }] });
    }
    const socket = await open(ben);
    const ack = await emitWithAck(socket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: 'x', threadRootId: first.id });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', details: [{ path: 'threadRootId' }] });

    expect(await written(id)).toEqual(before);
    expect((await thread(ann, id, root.id)).root.thread?.replyCount).toBe(1);
  });

  it('the thread page: 404 for a root of another conversation or a gone conversation, 403 once left, 400 on a bad query; a deleted root still opens its thread, with files and reactions as the reader sees them', async () => {
    const { people, id } = await group(4);
    const [ann, ben, cat, dan] = people;
    const other = await group(2, 'Other');
    const upload = async (user: SignedIn, name: string) => {
      const res = await http()
        .post('/api/files')
        .set(bearer(user))
        .attach('file', Buffer.from(`contents of ${name}`), name);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as UploadedFile;
    };
    const plan = await upload(ann, 'plan.txt');
    const [notes, sketch] = [await upload(ben, 'notes.txt'), await upload(ben, 'sketch.txt')];
    const root = await say(ann, id, { content: 'root', attachmentIds: [plan.id] });
    const first = await reply(ben, id, root, { content: 'first', attachmentIds: [notes.id, sketch.id] });
    await reply(cat, id, root, { content: 'second' });
    const react = (user: SignedIn, message: Message, emoji: string) =>
      http()
        .put(`/api/conversations/${id}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`)
        .set(bearer(user))
        .expect(200);
    await react(ann, first, '👍');
    await react(cat, first, '👍');
    await react(ben, root, '🎉');
    const foreign = await say(other.people[0], other.id, { content: 'elsewhere' });

    const asBen = await thread(ben, id, root.id);
    expect(asBen.root.attachments).toEqual([plan]);
    expect(asBen.replies.map((m) => m.attachments)).toEqual([[notes, sketch], []]);
    expect(asBen.root.reactions).toEqual([{ emoji: '🎉', count: 1, me: true }]);
    expect(asBen.replies.map((m) => [m.content, m.reactions])).toEqual([
      ['first', [{ emoji: '👍', count: 2, me: false }]],
      ['second', []],
    ]);
    expect((await thread(cat, id, root.id)).replies[0].reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);

    const refused = async (user: SignedIn, conversationId: string, rootId: string, status: number, query = '') => {
      const res = await http().get(`/api/conversations/${conversationId}/messages/${rootId}/replies${query}`).set(bearer(user));
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status });
    };
    // Another conversation's root, through a conversation the reader is in; an unknown id.
    await refused(ann, id, foreign.id, 404);
    await refused(ann, id, randomUUID(), 404);
    // The root's own conversation, by someone outside it.
    await refused(ann, other.id, foreign.id, 403);
    await refused(ann, id, root.id, 400, '?limit=0');
    await refused(ann, id, root.id, 400, '?afterSeq=-1');

    // Deleted, the root keeps its thread: it opens, without the root's text.
    await http().delete(`/api/conversations/${id}/messages/${root.id}`).set(bearer(ann)).expect(204);
    const orphaned = await thread(ben, id, root.id);
    expect(orphaned.root).toMatchObject({ id: root.id, content: '', reactions: [], attachments: [] });
    expect(orphaned.replies.map((m) => m.content)).toEqual(['first', 'second']);

    await http().delete(`/api/conversations/${id}/leave`).set(bearer(dan)).expect(204);
    await refused(dan, id, root.id, 403);
    await http().delete(`/api/conversations/${id}`).set(bearer(ann)).expect(204);
    await refused(ben, id, root.id, 404);
  });

  it('replies take the next seq: absent from history pages unless asked, present in the thread page, in afterSeq catch-up and in sync', async () => {
    const { people, id } = await group();
    const [ann, ben, cat] = people;
    const root = await say(ann, id, { content: 'root' });
    const r1 = await reply(ben, id, root, { content: 'first reply' });
    const main = await say(cat, id, { content: 'main' });
    const r2 = await reply(cat, id, root, { content: 'second reply' });

    expect([root.seq, r1.seq, main.seq, r2.seq]).toEqual([1, 2, 3, 4]);
    expect(r1.threadRootId).toBe(root.id);
    expect(root.threadRootId).toBeNull();

    const latest = await history(ann, id);
    expect(latest.messages.map((m) => m.id)).toEqual([root.id, main.id]);
    expect(latest.messages[0].thread).toMatchObject({ replyCount: 2, participantIds: [idOf(ben), idOf(cat)] });
    expect((await history(ann, id, { beforeSeq: 4 })).messages.map((m) => m.id)).toEqual([root.id, main.id]);
    expect((await history(ann, id, { aroundSeq: 3 })).messages.map((m) => m.id)).toEqual([root.id, main.id]);
    expect((await history(ann, id, { includeReplies: 'true' })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect((await history(ann, id, { afterSeq: 0 })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    const page = await thread(cat, id, root.id);
    expect(page.root.id).toBe(root.id);
    expect(page.replies.map((m) => m.content)).toEqual(['first reply', 'second reply']);
    expect(page.hasMore).toBe(false);
    const paged = await thread(cat, id, root.id, { afterSeq: r1.seq, limit: 1 });
    expect(paged.replies.map((m) => m.id)).toEqual([r2.id]);
    expect((await thread(cat, id, root.id, { limit: 1 })).hasMore).toBe(true);
    // A reply is not a root; a stranger cannot read the thread.
    await http().get(`/api/conversations/${id}/messages/${r1.id}/replies`).set(bearer(ann)).expect(404);
    const [stranger] = await registerUsers(suite.app, 1);
    await http().get(`/api/conversations/${id}/messages/${root.id}/replies`).set(bearer(stranger)).expect(403);

    const socket = await open(ben);
    const synced = await emitWithAck(socket, 'sync', { conversations: [{ conversationId: id, afterSeq: 1 }] });
    expect(synced.ok).toBe(true);
    expect(synced.conversations[0].messages.map((m: Message) => [m.seq, m.threadRootId])).toEqual([
      [2, root.id],
      [3, null],
      [4, root.id],
    ]);
  });

  it('the root summary moves live (with each reply, and thread:updated on a delete), drops when a reply is deleted, and survives catch-up after a disconnect', async () => {
    const { people, id } = await group();
    const [ann, ben, cat] = people;
    const root = await say(ann, id, { content: 'root' });
    const catSocket = await open(cat);
    const updates = collect(catSocket, 'thread:updated');
    const received = collect(catSocket, 'message:received');

    const annSocket = await open(ann);
    const ack = await emitWithAck(annSocket, 'message:send', {
      conversationId: id,
      clientMessageId: randomUUID(),
      content: 'over the socket',
      threadRootId: root.id,
    });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(ack.message.threadRootId).toBe(root.id);
    // The sender's ack and everyone's message:received carry the root's summary after the reply: no second event.
    expect(ack.rootThread).toMatchObject({ replyCount: 1, participantIds: [idOf(ann)] });
    const benReply = await reply(ben, id, root);
    expect((await received.waitFor(2)).map((e) => [e.message.threadRootId, e.rootThread?.replyCount, e.rootThread?.participantIds])).toEqual([
      [root.id, 1, [idOf(ann)]],
      [root.id, 2, [idOf(ann), idOf(ben)]],
    ]);
    expect(updates.items).toEqual([]);

    // Ben takes his reply back: the count drops, and the summary forgets him and his reply's time.
    await http().delete(`/api/conversations/${id}/messages/${benReply.id}`).set(bearer(ben)).expect(204);
    await updates.waitFor(1);
    expect(updates.items[0]).toMatchObject({ rootId: root.id, thread: { replyCount: 1, lastReplyAt: ack.message.createdAt, participantIds: [idOf(ann)] } });

    // Cat goes away; two more replies; on her return catch-up (afterSeq + updatedSince) brings them and the root's new summary.
    const before = await history(cat, id, { afterSeq: 0 });
    catSocket.disconnect();
    await reply(ben, id, root);
    await reply(ann, id, root);
    const again = await open(cat);
    const caught = await emitWithAck(again, 'sync', { conversations: [{ conversationId: id, afterSeq: before.lastSeq, updatedSince: before.syncedAt }] });
    expect(caught.ok).toBe(true);
    const [page] = caught.conversations;
    expect(page.messages.map((m: Message) => m.threadRootId)).toEqual([root.id, root.id]);
    const updatedRoot = page.updates.find((m: Message) => m.id === root.id);
    expect(updatedRoot?.thread).toMatchObject({ replyCount: 3, participantIds: [idOf(ann), idOf(ben)] });
    expect(Date.parse(updatedRoot.thread.lastReplyAt)).toBe(Date.parse(page.messages.at(-1).createdAt));
  });

  it('replies never raise the conversation unread count, and a reply leaves its sender’s conversation marker', async () => {
    const { people, id } = await group();
    const [ann, ben, cat] = people;
    const root = await say(ann, id, { content: 'root' });
    // Cat has read nothing: the root is unread; replies add nothing.
    await reply(ben, id, root);
    await reply(ann, id, root);
    const doomed = await reply(ben, id, root);
    await http().delete(`/api/conversations/${id}/messages/${doomed.id}`).set(bearer(ben)).expect(204);
    expect((await listed(cat, id)).unreadCount).toBe(1);
    expect((await listed(ann, id)).unreadCount).toBe(0);
    // Ben replied without reading the root: it is still unread for him.
    expect((await listed(ben, id)).unreadCount).toBe(1);

    const main = await say(ann, id, { content: 'main' });
    await reply(cat, id, root);
    expect((await listed(cat, id)).unreadCount).toBe(2);
    expect((await listed(ben, id)).unreadCount).toBe(2);
    // Reading the main list's newest message reads everything; replies above it would not count anyway.
    await http().post(`/api/conversations/${id}/read`).set(bearer(ben)).send({ messageId: main.id }).expect(200);
    expect((await listed(ben, id)).unreadCount).toBe(0);
    await reply(cat, id, root);
    expect((await listed(ben, id)).unreadCount).toBe(0);
    // The sidebar preview stays on the main list.
    expect((await listed(ben, id)).lastMessage?.id).toBe(main.id);
  });

  it('thread unread is exact for a follower, and a read on one device clears it on the other', async () => {
    const { people, id } = await group();
    const [ann, ben] = people;
    const annAgain = await signInAgain(suite.app, ann);
    const root = await say(ann, id, { content: 'root' });
    const phone = await open(annAgain);
    const readElsewhere = collect(phone, 'thread:read');

    await reply(ben, id, root);
    const second = await reply(ben, id, root);
    await reply(ann, id, root); // her own: never unread, and it moves her thread marker
    const fourth = await reply(ben, id, root);
    expect(await unreadOf(ann, root.id)).toBe(1);
    expect(await unreadOf(annAgain, root.id)).toBe(1);
    expect(await unreadOf(ben, root.id)).toBe(0);

    // Never backwards.
    const stale = await readThread(ann, id, root.id, second.seq);
    expect(stale).toMatchObject({ following: true, unreadCount: 1 });
    const state = await readThread(ann, id, root.id, fourth.seq);
    expect(state).toMatchObject({ conversationId: id, rootId: root.id, following: true, lastReadSeq: fourth.seq, unreadCount: 0 });
    await readElsewhere.waitFor(2);
    expect(readElsewhere.items.at(-1)).toMatchObject({ rootId: root.id, lastReadSeq: fourth.seq, unreadCount: 0 });
    expect(await unreadOf(annAgain, root.id)).toBe(0);
  });

  it('a mention in a reply counts in the conversation mention count until the thread is read; @everyone in a reply counts for the followers', async () => {
    const { people, id } = await group(4);
    const [ann, ben, cat, dan] = people;
    const root = await say(ann, id, { content: 'root' });
    const main = await say(ann, id, { content: 'main' });
    await http().post(`/api/conversations/${id}/read`).set(bearer(cat)).send({ messageId: main.id }).expect(200);
    const named = await reply(ben, id, root, { content: '@Cat look', mentions: { userIds: [idOf(cat)] } });
    const everyone = await reply(ben, id, root, { content: 'all of you', mentions: { everyone: true } });

    expect(await listed(cat, id)).toMatchObject({ unreadCount: 0, mentionCount: 2 });
    // @everyone in a reply means the thread's followers: Ann (the root's author) counts it, Dan (not following) does not.
    expect((await listed(ann, id)).mentionCount).toBe(1);
    expect((await listed(dan, id)).mentionCount).toBe(0);
    expect(await readThread(cat, id, root.id, named.seq)).toMatchObject({ following: true, mentionCount: 1 });
    expect(await readThread(cat, id, root.id, everyone.seq)).toMatchObject({ following: true, mentionCount: 0 });
    expect((await listed(cat, id)).mentionCount).toBe(0);
    // A main-list mention still counts against the conversation marker.
    await say(ben, id, { content: '@Cat here', mentions: { userIds: [idOf(cat)] } });
    expect((await listed(cat, id)).mentionCount).toBe(1);

    // An edit that names Dan in a reply makes him follow from the root: that mention and the @everyone after it count until he reads the thread.
    const edited = await http()
      .patch(`/api/conversations/${id}/messages/${named.id}`)
      .set(bearer(ben))
      .send({ content: '@Dan look', mentions: { userIds: [idOf(dan)] } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await listed(dan, id)).mentionCount).toBe(2);
    expect(await unreadOf(dan, root.id)).toBe(2);
    await readThread(dan, id, root.id, named.seq);
    expect((await listed(dan, id)).mentionCount).toBe(1);
    expect(await unreadOf(dan, root.id)).toBe(1);
  });

  it('the root’s author, every replier and everyone mentioned follow; others may follow and unfollow', async () => {
    const { people, id } = await group(5);
    const [ann, ben, cat, dan, eve] = people;
    const root = await say(ann, id, { content: 'root' });
    await reply(ben, id, root, { mentions: { userIds: [idOf(cat)] } });
    const followers = async () => {
      const { db } = dbProbe(suite.app);
      const rows = await db.select({ userId: threadFollows.userId }).from(threadFollows).where(eq(threadFollows.rootId, root.id));
      return rows.map((row) => row.userId).sort();
    };
    expect(await followers()).toEqual([ann, ben, cat].map(idOf).sort());
    expect((await threads(dan)).threads).toEqual([]);
    // Not following: a read stores nothing.
    expect(await readThread(dan, id, root.id, 100)).toMatchObject({ following: false, unreadCount: 0 });

    const followed = await http().put(`/api/conversations/${id}/threads/${root.id}/follow`).set(bearer(dan)).expect(200);
    expect(followed.body).toMatchObject({ following: true, unreadCount: 0 });
    await reply(eve, id, root);
    expect(await unreadOf(dan, root.id)).toBe(1);
    await http().delete(`/api/conversations/${id}/threads/${root.id}/follow`).set(bearer(cat)).expect(204);
    expect(await followers()).toEqual([ann, ben, dan, eve].map(idOf).sort());
    expect(await unreadOf(cat, root.id)).toBeUndefined();

    const [stranger] = await registerUsers(suite.app, 1);
    await http().put(`/api/conversations/${id}/threads/${root.id}/follow`).set(bearer(stranger)).expect(403);
    await http().put(`/api/conversations/${id}/threads/${randomUUID()}/follow`).set(bearer(dan)).expect(404);
    const bad = await http().post(`/api/conversations/${id}/threads/${root.id}/read`).set(bearer(dan)).send({ seq: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('GET /api/threads lists unread threads first, then by last reply, and pages with a cursor', async () => {
    const { people, id } = await group();
    const [ann, ben] = people;
    const [older, newer, quiet] = [await say(ann, id, { content: 'a' }), await say(ann, id, { content: 'b' }), await say(ann, id, { content: 'c' })];
    await reply(ben, id, older);
    await reply(ann, id, quiet); // own reply: read
    await reply(ben, id, newer);
    await reply(ann, id, quiet); // the latest reply, but read

    const all = await threads(ann);
    expect(all.threads.map((t) => [t.root.id, t.unreadCount])).toEqual([
      [newer.id, 1],
      [older.id, 1],
      [quiet.id, 0],
    ]);
    expect(all.threads[0]).toMatchObject({ conversationId: id, thread: { replyCount: 1, participantIds: [idOf(ben)] } });

    const first = await threads(ann, { limit: 2 });
    expect(first.threads.map((t) => t.root.id)).toEqual([newer.id, older.id]);
    const second = await threads(ann, { limit: 2, cursor: first.nextCursor! });
    expect(second.threads.map((t) => t.root.id)).toEqual([quiet.id]);
    expect(second.nextCursor).toBeNull();
    await http().get('/api/threads').query({ cursor: 'forged.cursor' }).set(bearer(ann)).expect(400);
  });

  it('search finds replies and says which thread they are in', async () => {
    const { people, id } = await group();
    const [ann, ben] = people;
    const root = await say(ann, id, { content: 'root' });
    await reply(ben, id, root, { content: 'kumquat season' });
    const found = await http().get('/api/search/messages').query({ q: 'kumquat' }).set(bearer(ann)).expect(200);
    expect(found.body.results.map((r: { message: Message }) => r.message.threadRootId)).toEqual([root.id]);
    const { db } = dbProbe(suite.app);
    expect(await db.$count(threadFollows, and(eq(threadFollows.rootId, root.id), eq(threadFollows.userId, idOf(ben))))).toBe(1);
  });

  it('a reply may carry files, over HTTP and over the socket: the thread page returns them and the other member downloads them', async () => {
    const { people, id } = await group();
    const [ann, ben] = people;
    const root = await say(ann, id, { content: 'send me the plans' });
    const upload = async (user: SignedIn, body: string, name: string) => {
      const res = await http().post('/api/files').set(bearer(user)).attach('file', Buffer.from(body, 'utf8'), name);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as UploadedFile;
    };
    const plans = await upload(ben, `floor plans ${randomUUID()}`, 'plans.txt');
    const sketch = await upload(ben, `sketch ${randomUUID()}`, 'sketch.txt');

    const overHttp = await reply(ben, id, root, { content: 'here', attachmentIds: [plans.id] });
    expect(overHttp.attachments.map((file) => file.id)).toEqual([plans.id]);
    const socket = await open(ben);
    const ack = await emitWithAck(socket, 'message:send', {
      conversationId: id,
      clientMessageId: randomUUID(),
      threadRootId: root.id,
      attachmentIds: [sketch.id],
    });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(ack.message).toMatchObject({ threadRootId: root.id, content: '' });

    const page = await thread(ann, id, root.id);
    expect(page.replies.map((m) => ({ id: m.id, files: m.attachments.map((file) => ({ id: file.id, name: file.name })) }))).toEqual([
      { id: overHttp.id, files: [{ id: plans.id, name: 'plans.txt' }] },
      { id: ack.messageId, files: [{ id: sketch.id, name: 'sketch.txt' }] },
    ]);
    const download = await http().get(`/api/files/${sketch.id}`).set(bearer(ann)).buffer(true);
    expect(download.status).toBe(200);
    expect(page.root.thread?.replyCount).toBe(2);
  });
});
