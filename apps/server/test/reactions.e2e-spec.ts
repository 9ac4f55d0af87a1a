import { randomUUID } from 'node:crypto';
import { messageReactions, messages } from '@chat/db';
import { type Message, type MessagePage, REACTION_DISTINCT_MAX, reactionStateSchema, reactionUsersListSchema } from '@chat/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, sendMessage, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, emitWithAck, syncHistory } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

// Twenty-one distinct emoji, each one grapheme.
const MANY = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋', '😎', '😍', '😘', '🥰', '😗', '😙', '😚', '🙂', '🤗', '🤩'];

describe('reactions', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000', REACTION_RATE_LIMIT: '100000' });
  const http = () => suite.app.http();
  const url = (conversationId: string, messageId: string, emoji?: string) =>
    `/api/conversations/${conversationId}/messages/${messageId}/reactions${emoji === undefined ? '' : `/${encodeURIComponent(emoji)}`}`;
  const put = (user: SignedIn, conversationId: string, messageId: string, emoji: string) =>
    http()
      .put(url(conversationId, messageId, emoji))
      .set(bearer(user));
  const del = (user: SignedIn, conversationId: string, messageId: string, emoji: string) =>
    http()
      .delete(url(conversationId, messageId, emoji))
      .set(bearer(user));
  const history = async (user: SignedIn, conversationId: string, query = '') =>
    (await http().get(`/api/conversations/${conversationId}/messages${query}`).set(bearer(user)).expect(200)).body as MessagePage;
  const rowsOf = (messageId: string) => dbProbe(suite.app).db.select().from(messageReactions).where(eq(messageReactions.messageId, messageId));

  async function room(size = 3) {
    const people = await registerUsers(suite.app, size);
    const [owner, ...members] = people;
    const { id } = await createGroup<{ id: string }>(suite.app, owner, members, { title: 'Team' });
    const message = await sendMessage<Message>(suite.app, owner, id, 'ship it');
    return { people, id, message };
  }

  it('adds and removes over REST; a duplicate add and the removal of nothing change nothing and answer the state', async () => {
    const { people, id, message } = await room();
    const [ann, ben] = people;

    const first = await put(ben, id, message.id, '👍').expect(200);
    expect(reactionStateSchema.parse(first.body)).toEqual({
      conversationId: id,
      messageId: message.id,
      reactionsVersion: 1,
      reactions: [{ emoji: '👍', count: 1, me: true }],
    });
    // :+1: names 👍: the same reaction, so a duplicate.
    const again = await put(ben, id, message.id, ':+1:').expect(200);
    expect(again.body).toEqual(first.body);
    expect(await rowsOf(message.id)).toHaveLength(1);

    const annToo = await put(ann, id, message.id, ':+1:').expect(200);
    expect(annToo.body).toMatchObject({ reactionsVersion: 2, reactions: [{ emoji: '👍', count: 2, me: true }] });

    const removed = await del(ben, id, message.id, '👍').expect(200);
    expect(removed.body).toMatchObject({ reactionsVersion: 3, reactions: [{ emoji: '👍', count: 1, me: false }] });
    const nothing = await del(ben, id, message.id, '👍').expect(200);
    expect(nothing.body).toEqual(removed.body);
    expect(await rowsOf(message.id)).toEqual([expect.objectContaining({ userId: ann.auth.user.id, emoji: '👍' })]);
  });

  it('adds and removes over the socket, with acks, and tells the room with message:reactions', async () => {
    const { people, id, message } = await room();
    const [ann, ben] = people;
    const [annSocket, benSocket] = await Promise.all([suite.open(ann), suite.open(ben)]);
    const annHears = collect(annSocket, 'message:reactions');

    const added = await emitWithAck(benSocket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: ':tada:' });
    expect(added).toEqual({ ok: true, conversationId: id, messageId: message.id, reactionsVersion: 1, reactions: [{ emoji: '🎉', count: 1, me: true }] });
    const duplicate = await emitWithAck(benSocket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: '🎉' });
    expect(duplicate).toEqual(added);

    const [event] = await annHears.waitFor(1);
    expect(event).toEqual({
      conversationId: id,
      messageId: message.id,
      reactionsVersion: 1,
      reactions: [{ emoji: '🎉', count: 1 }],
      change: { userId: ben.auth.user.id, emoji: '🎉', on: true },
    });

    const removed = await emitWithAck(benSocket, 'reaction:remove', { conversationId: id, messageId: message.id, emoji: '🎉' });
    expect(removed).toMatchObject({ ok: true, reactionsVersion: 2, reactions: [] });
    const events = await annHears.waitFor(2);
    expect(events[1]).toMatchObject({ reactionsVersion: 2, reactions: [], change: { userId: ben.auth.user.id, emoji: '🎉', on: false } });
    // The no-op sent nothing.
    expect(annHears.items).toHaveLength(2);
  });

  it('every message DTO carries reactions with `me` per viewer, ordered by first reaction', async () => {
    const { people, id, message } = await room();
    const [ann, ben, cat] = people;
    await put(ben, id, message.id, '🔥').expect(200);
    await put(ann, id, message.id, '👀').expect(200);
    await put(cat, id, message.id, '🔥').expect(200);
    const plain = await sendMessage<Message>(suite.app, ann, id, 'nobody reacts to this');

    const seenBy = async (user: SignedIn) => (await history(user, id)).messages.find((m) => m.id === message.id)!;
    expect((await seenBy(ann)).reactions).toEqual([
      { emoji: '🔥', count: 2, me: false },
      { emoji: '👀', count: 1, me: true },
    ]);
    expect((await seenBy(ben)).reactions).toEqual([
      { emoji: '🔥', count: 2, me: true },
      { emoji: '👀', count: 1, me: false },
    ]);
    expect((await seenBy(ann)).reactionsVersion).toBe(3);
    expect((await history(ann, id)).messages.find((m) => m.id === plain.id)).toMatchObject({ reactions: [], reactionsVersion: 0 });
    expect(plain).toMatchObject({ reactions: [], reactionsVersion: 0 });

    // Search results carry them too.
    const search = await http().get('/api/search/messages?q=ship').set(bearer(ben)).expect(200);
    expect(search.body.results[0].message.reactions).toEqual([
      { emoji: '🔥', count: 2, me: true },
      { emoji: '👀', count: 1, me: false },
    ]);
  });

  it('lists who reacted with what, in order', async () => {
    const { people, id, message } = await room();
    const [ann, ben, cat] = people;
    await put(cat, id, message.id, '❤️').expect(200);
    await put(ben, id, message.id, '❤').expect(200);
    await put(ann, id, message.id, '✅').expect(200);

    const res = await http().get(url(id, message.id)).set(bearer(ann)).expect(200);
    expect(reactionUsersListSchema.parse(res.body)).toEqual([
      { emoji: '❤️', count: 2, users: [cat.auth.user, ben.auth.user].map(({ id: userId, displayName }) => ({ id: userId, displayName })) },
      { emoji: '✅', count: 1, users: [{ id: ann.auth.user.id, displayName: ann.auth.user.displayName }] },
    ]);
  });

  it('refuses what is not one emoji with 400 and writes nothing', async () => {
    const { people, id, message } = await room();
    const [, ben] = people;
    const benSocket = await suite.open(ben);
    for (const bad of ['ab', '👍👍', 'x', ':nope:', ' ', '1']) {
      const res = await put(ben, id, message.id, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', details: [expect.objectContaining({ path: 'emoji' })] });
    }
    // Not even decodable.
    const garbled = await http()
      .put(`${url(id, message.id)}/%E0%A4%A`)
      .set(bearer(ben));
    expect(garbled.status).toBe(400);
    expect(garbled.body).toMatchObject({ statusCode: 400 });
    const ack = await emitWithAck(benSocket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: '👍👍' });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', event: 'reaction:add' });
    expect(await rowsOf(message.id)).toEqual([]);
    const [row] = await dbProbe(suite.app).db.select({ v: messages.reactionsVersion }).from(messages).where(eq(messages.id, message.id));
    expect(row.v).toBe(0);
  });

  it(`refuses a new emoji past ${REACTION_DISTINCT_MAX} with 409 TOO_MANY_REACTIONS; existing ones can still be added to`, async () => {
    const { people, id, message } = await room(3);
    const [ann, ben] = people;
    const benSocket = await suite.open(ben);
    for (const emoji of MANY.slice(0, REACTION_DISTINCT_MAX)) await put(ann, id, message.id, emoji).expect(200);

    const refused = await put(ben, id, message.id, MANY[REACTION_DISTINCT_MAX]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'TOO_MANY_REACTIONS' });
    const overSocket = await emitWithAck(benSocket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: MANY[REACTION_DISTINCT_MAX] });
    expect(overSocket).toMatchObject({ ok: false, code: 'TOO_MANY_REACTIONS' });

    const joined = await put(ben, id, message.id, MANY[0]).expect(200);
    expect(joined.body.reactions).toHaveLength(REACTION_DISTINCT_MAX);
    expect(joined.body.reactions[0]).toEqual({ emoji: MANY[0], count: 2, me: true });
    expect(await rowsOf(message.id)).toHaveLength(REACTION_DISTINCT_MAX + 1);
  });

  it('refuses non-members, deleted messages, system messages and unknown messages', async () => {
    const { people, id, message } = await room();
    const [ann, ben] = people;
    const [stranger] = await registerUsers(suite.app, 1);
    const strangerSocket = await suite.open(stranger);

    expect((await put(stranger, id, message.id, '👍')).body).toMatchObject({ statusCode: 403, code: 'NOT_IN_CONVERSATION' });
    expect((await http().get(url(id, message.id)).set(bearer(stranger))).status).toBe(403);
    expect(await emitWithAck(strangerSocket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: '👍' })).toMatchObject({
      ok: false,
      code: 'NOT_IN_CONVERSATION',
    });
    expect((await put(ben, id, randomUUID(), '👍')).body).toMatchObject({ statusCode: 404, code: 'MESSAGE_NOT_FOUND' });
    expect((await put(ben, randomUUID(), message.id, '👍')).status).toBe(404);

    await http().patch(`/api/conversations/${id}`).set(bearer(ann)).send({ title: 'Renamed' }).expect(200);
    const system = (await history(ann, id)).messages.find((m) => m.contentType === 'system' && m.system?.kind === 'renamed')!;
    expect((await put(ben, id, system.id, '👍')).body).toMatchObject({ statusCode: 403, code: 'SYSTEM_MESSAGE' });

    await put(ben, id, message.id, '👍').expect(200);
    await http().delete(`/api/conversations/${id}/messages/${message.id}`).set(bearer(ann)).expect(204);
    expect((await put(ben, id, message.id, '🎉')).body).toMatchObject({ statusCode: 404, code: 'MESSAGE_NOT_FOUND' });
    expect((await del(ben, id, message.id, '👍')).status).toBe(404);
    // A deleted message shows no reactions, and keeps none: they go with its text.
    expect((await history(ben, id)).messages.find((m) => m.id === message.id)).toMatchObject({ reactions: [] });
    expect(await rowsOf(message.id)).toEqual([]);
  });

  it('documents the routes in Swagger with their schemas and error codes', async () => {
    const { body } = await http().get('/api/docs-json').expect(200);
    const one = body.paths['/api/conversations/{id}/messages/{messageId}/reactions/{emoji}'];
    const list = body.paths['/api/conversations/{id}/messages/{messageId}/reactions'];
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['put', 'delete']));
    expect(Object.keys(one.put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    expect(one.put.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'messageId', 'emoji']));
    expect(JSON.stringify(one.put.responses['200'])).toMatch(/reactionsVersion|ReactionState/);
    expect(Object.keys(list.get.responses)).toEqual(expect.arrayContaining(['200', '403', '404']));
  });

  it('a client that was offline gets the reactions made meanwhile from catch-up with updatedSince, and from sync', async () => {
    const { people, id, message } = await room();
    const [ann, ben, cat] = people;
    const before = await history(cat, id);
    await put(ann, id, message.id, '🚀').expect(200);
    await put(ben, id, message.id, '🚀').expect(200);
    await put(cat, id, message.id, '👀').expect(200);

    const caughtUp = await history(cat, id, `?afterSeq=${before.lastSeq}&updatedSince=${encodeURIComponent(before.syncedAt)}`);
    expect(caughtUp.messages).toEqual([]);
    expect(caughtUp.updates).toEqual([
      expect.objectContaining({
        id: message.id,
        reactionsVersion: 3,
        reactions: [
          { emoji: '🚀', count: 2, me: false },
          { emoji: '👀', count: 1, me: true },
        ],
      }),
    ]);

    const catSocket = await suite.open(cat);
    const synced = await emitWithAck(catSocket, 'sync', { conversations: [{ conversationId: id, afterSeq: before.lastSeq, updatedSince: before.syncedAt }] });
    expect(synced.conversations[0].updates[0]).toMatchObject({ id: message.id, reactionsVersion: 3 });
    const all = await syncHistory(catSocket, id);
    expect(all.find((m) => m.id === message.id)!.reactions).toHaveLength(2);
  });
});

describe('reactions rate limit', () => {
  const suite = useSocketSuite({ REACTION_RATE_LIMIT: '3' });

  it('refuses changes past the limit with 429 and Retry-After, on REST and the socket alike, writing nothing', async () => {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const { id } = await createGroup<{ id: string }>(suite.app, ann, [ben], { title: 'Busy' });
    const message = await sendMessage<Message>(suite.app, ann, id, 'react away');
    const path = (emoji: string) => `/api/conversations/${id}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`;
    for (const emoji of ['👍', '🎉', '👀']) await suite.app.http().put(path(emoji)).set(bearer(ben)).expect(200);

    const refused = await suite.app.http().put(path('🚀')).set(bearer(ben));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const socket = await suite.open(ben);
    expect(await emitWithAck(socket, 'reaction:add', { conversationId: id, messageId: message.id, emoji: '🚀' })).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
    });
    const rows = await dbProbe(suite.app).db.select().from(messageReactions).where(eq(messageReactions.messageId, message.id));
    expect(rows.map((row) => row.emoji).sort()).toEqual(['👀', '👍', '🎉'].sort());

    // The limit is per user: someone else still reacts.
    await suite.app.http().put(path('🚀')).set(bearer(ann)).expect(200);
  });
});
