import { randomUUID } from 'node:crypto';
import { messageMentions } from '@chat/db';
import { type Conversation, EVERYONE_MENTION_OPEN_MAX, type Message, type MessagePage } from '@chat/shared';
import { describe, expect, it, vi } from 'vitest';
import { SendGate } from '../src/modules/messages/send-gate';
import { bearer, createDirect, registerGroup, registerUsers, type SignedIn } from './support/builders';
import { addSilentMembers, writtenIn } from './support/db-probe';
import { idOf, messageRequests } from './support/message-requests';
import { collect, emitWithAck, syncHistory } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

const NONE = { userIds: [], everyone: false };

describe('mentions', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000' });
  const http = () => suite.app.http();
  const open = suite.open;
  const { post, say, listed } = messageRequests(http);
  const mention = (...people: SignedIn[]) => ({ mentions: { userIds: people.map(idOf) } });
  const edit = (user: SignedIn, conversationId: string, messageId: string, body: Record<string, unknown>) =>
    http().patch(`/api/conversations/${conversationId}/messages/${messageId}`).set(bearer(user)).send(body);

  const mentionCount = async (user: SignedIn, conversationId: string) => (await listed(user, conversationId)).mentionCount;
  const detail = async (user: SignedIn, conversationId: string) =>
    (await http().get(`/api/conversations/${conversationId}`).set(bearer(user)).expect(200)).body as Conversation;
  const readOverHttp = async (user: SignedIn, conversationId: string, messageId: string) =>
    (await http().post(`/api/conversations/${conversationId}/read`).set(bearer(user)).send({ messageId }).expect(200)).body as {
      unreadCount: number;
      mentionCount: number;
    };

  /** What a refused send must leave as it was: the conversation's seq, messages and mention rows. */
  const written = (conversationId: string) => writtenIn(suite.app, conversationId, { mentionRows: messageMentions });

  it('a mention sent over REST or the socket is in the ack, message:received, history, sync and search', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben, cat] = people;
    const [annSocket, benSocket] = await Promise.all([open(ann), open(ben)]);
    const received = collect(benSocket, 'message:received');

    const overHttp = await say(ann, id, { content: '@Ben lunch?', ...mention(ben) });
    const ack = await emitWithAck(annSocket, 'message:send', {
      conversationId: id,
      clientMessageId: randomUUID(),
      content: '@Ben @Cat and all: pineapple',
      mentions: { userIds: [idOf(ben), idOf(cat)], everyone: true },
    });
    const plain = await say(ann, id, { content: 'no one named' });

    expect(overHttp.mentions).toEqual({ userIds: [idOf(ben)], everyone: false });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    const both = { userIds: [idOf(ben), idOf(cat)], everyone: true };
    expect(ack.message.mentions).toEqual(both);
    expect(plain.mentions).toEqual(NONE);
    const events = await received.waitFor(3);
    expect(events.map((event) => event.message.mentions)).toEqual([overHttp.mentions, both, NONE]);
    const history = (await http().get(`/api/conversations/${id}/messages`).set(bearer(cat)).expect(200)).body as MessagePage;
    expect(history.messages.map((message) => message.mentions)).toEqual([overHttp.mentions, both, NONE]);
    const synced = await syncHistory(benSocket, id);
    expect(synced.map((message) => message.mentions)).toEqual([overHttp.mentions, both, NONE]);
    const found = await http().get('/api/search/messages').query({ q: 'pineapple' }).set(bearer(ben)).expect(200);
    expect(found.body.results.map((result: { message: Message }) => result.message.mentions)).toEqual([both]);
  });

  it('refuses a mention of a non-member, a member who left or an unknown id with 400 naming mentions.userIds, writing nothing', async () => {
    const { people, id } = await registerGroup(suite.app, 4);
    const [ann, ben, cat, dan] = people;
    const [outsider] = await registerUsers(suite.app, 1);
    await http().delete(`/api/conversations/${id}/leave`).set(bearer(dan)).expect(204);
    await say(ann, id, mention(ben));
    const before = await written(id);

    for (const stranger of [idOf(outsider), idOf(dan), randomUUID()]) {
      const res = await post(ann, id, { mentions: { userIds: [idOf(ben), stranger] } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'mentions.userIds' }] });
    }
    const socket = await open(ann);
    const ack = await emitWithAck(socket, 'message:send', {
      conversationId: id,
      clientMessageId: randomUUID(),
      content: 'x',
      mentions: { userIds: [idOf(outsider)] },
    });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', details: [{ path: 'mentions.userIds' }] });

    expect(await written(id)).toEqual(before);
    expect(await mentionCount(cat, id)).toBe(0);
    expect(await mentionCount(ben, id)).toBe(1);
  });

  it('a send with files and mentions stores both; a bad mention refuses it and leaves the files free for the next try', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben] = people;
    const [outsider] = await registerUsers(suite.app, 1);
    const upload = async (name: string) => {
      const res = await http()
        .post('/api/files')
        .set(bearer(ann))
        .attach('file', Buffer.from(`notes ${name}`), name);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (res.body as { id: string }).id;
    };
    const notes = await upload('notes.txt');
    const before = await written(id);

    const refused = await post(ann, id, { attachmentIds: [notes], mentions: { userIds: [idOf(outsider)] } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'mentions.userIds' }] });
    expect(await written(id)).toEqual(before);

    const sent = await say(ann, id, { content: '@Ben the notes', attachmentIds: [notes], ...mention(ben) });
    expect(sent).toMatchObject({ mentions: { userIds: [idOf(ben)], everyone: false }, attachments: [{ id: notes, name: 'notes.txt' }] });
    expect(await mentionCount(ben, id)).toBe(1);
  });

  it('everyone: refused in a direct chat (400), in a group over 50 refused to a member (403) and taken from the owner', async () => {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const direct = (await createDirect(suite.app, ann, ben)).id;
    const inDirect = await post(ann, direct, { mentions: { everyone: true } });
    expect(inDirect.status).toBe(400);
    expect(inDirect.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'mentions.everyone' }] });
    expect((await written(direct)).lastSeq).toBe(0);
    // Naming the other person of a direct chat is fine.
    expect((await say(ann, direct, mention(ben))).mentions.userIds).toEqual([idOf(ben)]);

    const { people, id } = await registerGroup(suite.app, 3);
    const [owner, member] = people;
    // At the open size any member may mention everyone.
    await addSilentMembers(suite.app, id, EVERYONE_MENTION_OPEN_MAX - 3);
    expect((await say(member, id, { mentions: { everyone: true } })).mentions.everyone).toBe(true);
    await addSilentMembers(suite.app, id, 1);
    const before = await written(id);
    const refused = await post(member, id, { mentions: { everyone: true } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'EVERYONE_MENTION_FORBIDDEN' });
    const socket = await open(member);
    const ack = await emitWithAck(socket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: '@all', mentions: { everyone: true } });
    expect(ack).toMatchObject({ ok: false, code: 'EVERYONE_MENTION_FORBIDDEN' });
    expect(await written(id)).toEqual(before);
    expect((await say(owner, id, { mentions: { everyone: true } })).mentions.everyone).toBe(true);
    expect(await mentionCount(member, id)).toBe(1);
  });

  it('counts unread mentions of me and of everyone above my marker once each, never my own; reads on one device clear the others', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben, cat] = people;
    await say(ben, id, mention(ann)); // ann
    await say(cat, id, { mentions: { everyone: true } }); // ann, ben
    const both = await say(ben, id, { mentions: { userIds: [idOf(ann)], everyone: true } }); // ann (once), cat
    // ben, cat; never ann, who named herself. Her client holds nothing yet, so her marker stays put.
    await say(ann, id, { mentions: { userIds: [idOf(ann)], everyone: true }, readUpToSeq: 0 });
    const last = await say(ben, id, { content: 'no mention' });

    expect((await listed(ann, id)).unreadCount).toBe(4);
    expect(await mentionCount(ann, id)).toBe(3);
    expect((await detail(ann, id)).mentionCount).toBe(3);
    // Cat's marker is past her own message; ben's everyone and ann's everyone are above it.
    expect(await mentionCount(cat, id)).toBe(2);
    // Ben's own sends moved his marker over ann's mention of everyone.
    expect(await mentionCount(ben, id)).toBe(0);

    const [phone, laptop] = await Promise.all([open(ann), open(ann)]);
    const onLaptop = collect(laptop, 'conversation:read');
    expect(await readOverHttp(ann, id, both.id)).toMatchObject({ mentionCount: 0, unreadCount: 1 });
    const [fromHttp] = await onLaptop.waitFor(1);
    expect(fromHttp).toMatchObject({ conversationId: id, mentionCount: 0 });
    expect(await emitWithAck(phone, 'receipt:read', { conversationId: id, messageId: last.id })).toMatchObject({ ok: true, unreadCount: 0, mentionCount: 0 });
    const seen = await onLaptop.waitFor(2);
    expect(seen[1]).toMatchObject({ conversationId: id, unreadCount: 0, mentionCount: 0 });
    expect(await mentionCount(ann, id)).toBe(0);
  });

  it('a partial read leaves the mentions above the marker counted', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben] = people;
    const first = await say(ben, id, mention(ann));
    await say(ben, id, mention(ann));
    const socket = await open(ann);
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: first.id })).toMatchObject({ ok: true, mentionCount: 1 });
    expect(await mentionCount(ann, id)).toBe(1);
  });

  it('an edit adding a mention raises the count and removing it lowers it; omitted mentions stay; a delete lowers it and says what it held', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben, cat] = people;
    const message = await say(ann, id, { content: 'hello team' });
    const catSocket = await open(cat);
    const updated = collect(catSocket, 'message:updated');
    const deleted = collect(catSocket, 'message:deleted');

    const added = await edit(ann, id, message.id, { content: '@Ben @Cat hello', mentions: { userIds: [idOf(ben), idOf(cat)] } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.mentions).toEqual({ userIds: [idOf(ben), idOf(cat)], everyone: false });
    expect([await mentionCount(ben, id), await mentionCount(cat, id)]).toEqual([1, 1]);
    expect((await updated.waitFor(1))[0].message.mentions).toEqual(added.body.mentions);

    const textOnly = await edit(ann, id, message.id, { content: '@Ben @Cat hello again' });
    expect(textOnly.body.mentions).toEqual(added.body.mentions);

    const refused = await edit(ann, id, message.id, { content: 'x', mentions: { userIds: [randomUUID()] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ details: [{ path: 'mentions.userIds' }] });
    expect((await detail(cat, id)).lastMessage?.preview).toBe('@Ben @Cat hello again');

    const removed = await edit(ann, id, message.id, { content: '@Cat hello', mentions: { userIds: [idOf(cat)] } });
    expect(removed.body.mentions).toEqual({ userIds: [idOf(cat)], everyone: false });
    expect([await mentionCount(ben, id), await mentionCount(cat, id)]).toEqual([0, 1]);

    const everyone = await edit(ann, id, message.id, { content: '@all', mentions: { userIds: [idOf(cat)], everyone: true } });
    expect(everyone.status).toBe(200);
    expect([await mentionCount(ben, id), await mentionCount(cat, id)]).toEqual([1, 1]);

    await http().delete(`/api/conversations/${id}/messages/${message.id}`).set(bearer(ann)).expect(204);
    expect([await mentionCount(ben, id), await mentionCount(cat, id)]).toEqual([0, 0]);
    const [gone] = await deleted.waitFor(1);
    expect(gone).toMatchObject({ messageId: message.id, mentions: { userIds: [idOf(cat)], everyone: true } });
    const history = (await http().get(`/api/conversations/${id}/messages`).set(bearer(ben)).expect(200)).body as MessagePage;
    expect(history.messages.find((m) => m.id === message.id)?.mentions).toEqual(NONE);
    expect((await written(id)).mentionRows).toBe(0);
  });

  it('mentions from before leaving do not count after rejoining, in a group and in a direct chat', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben, cat] = people;
    await say(ben, id, mention(cat));
    await say(ben, id, { mentions: { everyone: true } });
    expect(await mentionCount(cat, id)).toBe(2);
    await http().delete(`/api/conversations/${id}/leave`).set(bearer(cat)).expect(204);
    await http()
      .post(`/api/conversations/${id}/participants`)
      .set(bearer(ann))
      .send({ userIds: [idOf(cat)] })
      .expect(200);
    expect(await mentionCount(cat, id)).toBe(0);
    await say(ben, id, mention(cat));
    expect(await mentionCount(cat, id)).toBe(1);

    const direct = (await createDirect(suite.app, ann, ben)).id;
    await say(ann, direct, mention(ben));
    expect(await mentionCount(ben, direct)).toBe(1);
    await http().delete(`/api/conversations/${direct}/leave`).set(bearer(ben)).expect(204);
    expect((await createDirect(suite.app, ann, ben)).id).toBe(direct);
    expect(await mentionCount(ben, direct)).toBe(0);
  });

  it('a resend with the same clientMessageId is stored once and counted once, even after the person it names left', async () => {
    const { people, id } = await registerGroup(suite.app, 4);
    const [ann, ben, , dan] = people;
    const body = { clientMessageId: randomUUID(), ...mention(ben, dan) };
    const first = await post(ann, id, body);
    expect(first.status).toBe(201);
    const again = await post(ann, id, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, mentions: { userIds: [idOf(ben), idOf(dan)] } });
    await http().delete(`/api/conversations/${id}/leave`).set(bearer(dan)).expect(204);
    const before = await written(id);
    // As after its dedup record expired: the send statement refuses dan, and the original answers.
    vi.spyOn(suite.app.app.get(SendGate), 'admit').mockResolvedValueOnce({ kind: 'allowed' });
    const afterLeaving = await post(ann, id, body);
    expect(afterLeaving.status, JSON.stringify(afterLeaving.body)).toBe(200);
    expect(afterLeaving.body.id).toBe(first.body.id);
    expect(await written(id)).toEqual(before);
    // The message and dan's leaving; dan's row went when he left.
    expect(before).toMatchObject({ messages: 2, mentionRows: 1 });
    expect(await mentionCount(ben, id)).toBe(1);
  });

  it('refuses more than 50 or repeated ids before anything is looked up', async () => {
    const { people, id } = await registerGroup(suite.app);
    const [ann, ben] = people;
    const tooMany = await post(ann, id, { mentions: { userIds: Array.from({ length: 51 }, () => randomUUID()) } });
    expect(tooMany.status).toBe(400);
    const repeated = await post(ann, id, { mentions: { userIds: [idOf(ben), idOf(ben)] } });
    expect(repeated.status).toBe(400);
    expect((await written(id)).lastSeq).toBe(0);
  });

  it('documents mentions and mentionCount in the OpenAPI schemas', async () => {
    const { components } = (await http().get('/api/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const fields = (name: string) => Object.keys(components.schemas[name]?.properties ?? {});
    for (const name of ['SendMessageDto', 'EditMessageDto', 'MessageDto_Output']) expect(fields(name), name).toContain('mentions');
    for (const name of ['MarkReadResultDto_Output', 'ConversationDetailDto_Output']) expect(fields(name), name).toContain('mentionCount');
  });
});
