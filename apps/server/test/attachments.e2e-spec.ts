import { randomBytes, randomUUID } from 'node:crypto';
import { conversations, files, messages } from '@chat/db';
import type { Conversation, Message, MessagePage, UploadedFile } from '@chat/shared';
import { eq, inArray } from 'drizzle-orm';
import type { Response } from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStorage } from '../src/infra/storage/file-storage';
import { SendGate } from '../src/modules/messages/send-gate';
import { bearer, createGroup, registerUsers, sendMessage, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, emitWithAck, socketOpener } from './support/sockets';
import { useTestApp } from './support/test-app';

/** A 1x1 PNG and a few random bytes, so every upload has its own content. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const png = () => Buffer.concat([PNG_1X1, randomBytes(64)]);
const text = (body: string) => Buffer.from(body, 'utf8');

/** supertest hands binary bodies over as Buffers only when asked. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('attachments', () => {
  const app = useTestApp({ UPLOAD_RATE_LIMIT: '100000', MESSAGE_RATE_LIMIT: '100000' });
  const http = () => app.http();
  const sockets = socketOpener(() => app.baseUrl);
  afterEach(() => sockets.closeAll());

  async function upload(user: SignedIn, body: Buffer, name: string): Promise<UploadedFile> {
    const res = await http().post('/api/files').set(bearer(user)).attach('file', body, name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as UploadedFile;
  }

  const send = (user: SignedIn, conversationId: string, body: Record<string, unknown>) =>
    http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(user))
      .send({ clientMessageId: randomUUID(), ...body });

  const download = (user: SignedIn, id: string) => http().get(`/api/files/${id}`).set(bearer(user)).buffer(true).parse(binary);

  async function history(user: SignedIn, conversationId: string, query: Record<string, string | number> = {}): Promise<MessagePage> {
    const res = await http().get(`/api/conversations/${conversationId}/messages`).query(query).set(bearer(user));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as MessagePage;
  }

  /** What a refused send must leave as it was: the conversation's messages and seq. */
  async function written(conversationId: string) {
    const { db } = dbProbe(app);
    const [conversation] = await db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversationId));
    return { lastSeq: conversation.lastSeq, messages: await db.$count(messages, eq(messages.conversationId, conversationId)) };
  }

  async function lastMessageOf(user: SignedIn, conversationId: string) {
    const res = await http().get(`/api/conversations/${conversationId}`).set(bearer(user)).expect(200);
    return (res.body as Conversation).lastMessage;
  }

  async function attachedTo(fileIds: string[]) {
    const { db } = dbProbe(app);
    const rows = await db.select({ id: files.id, messageId: files.messageId }).from(files).where(inArray(files.id, fileIds));
    return Object.fromEntries(rows.map((row) => [row.id, row.messageId]));
  }

  /** The fields every attachment repeats from its upload (width, height and thumbnailUrl appear once a thumbnail is made). */
  const summary = ({ id, name, size, mimeType }: UploadedFile) => ({ id, name, size, mimeType });
  const summaries = (list: readonly UploadedFile[]) => list.map(summary);

  async function setUp() {
    const [ann, ben, cat, dan] = await registerUsers(app, 4);
    const group = await createGroup<{ id: string }>(app, ann, [ben, cat], { title: 'Holiday' });
    return { ann, ben, cat, dan, conversationId: group.id };
  }

  it('sends two files over HTTP: the other member gets them with message:received and downloads them; an outsider and a member who left get 404', async () => {
    const { ann, ben, cat, dan, conversationId } = await setUp();
    const photoBytes = png();
    const notesBytes = text('packing list: sun cream, hat');
    const photo = await upload(ann, photoBytes, 'beach.png');
    const notes = await upload(ann, notesBytes, 'notes.txt');
    const benSocket = await sockets.open(ben);
    const received = collect(benSocket, 'message:received');

    const res = await send(ann, conversationId, { content: 'two files', attachmentIds: [photo.id, notes.id] });

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sent = res.body as Message;
    expect(summaries(sent.attachments)).toEqual(summaries([photo, notes]));
    expect(sent.attachments[0]).toMatchObject({ name: 'beach.png', mimeType: 'image/png', size: photoBytes.length });
    const [event] = await received.waitFor(1);
    expect(event.message).toMatchObject({ id: sent.id, content: 'two files' });
    expect(event.message.attachments).toEqual(sent.attachments);

    const [photoDownload, notesDownload] = await Promise.all([download(ben, photo.id), download(ben, notes.id)]);
    expect(photoDownload.status).toBe(200);
    expect(Buffer.compare(photoDownload.body as Buffer, photoBytes)).toBe(0);
    expect(notesDownload.status).toBe(200);
    expect((notesDownload.body as Buffer).toString('utf8')).toBe('packing list: sun cream, hat');

    expect((await download(dan, photo.id)).status).toBe(404);
    expect((await download(cat, photo.id)).status).toBe(200);
    await http().delete(`/api/conversations/${conversationId}/leave`).set(bearer(cat)).expect(204);
    expect((await download(cat, photo.id)).status).toBe(404);
    expect((await download(cat, notes.id)).status).toBe(404);
  });

  it('sends files over the socket: the ack, message:sent and the other member’s message:received agree, and the text may be left out', async () => {
    const { ann, ben, conversationId } = await setUp();
    const photo = await upload(ann, png(), 'cat.png');
    const [annSocket, benSocket] = await Promise.all([sockets.open(ann), sockets.open(ben)]);
    const received = collect(benSocket, 'message:received');
    const confirmed = collect(annSocket, 'message:sent');
    const clientMessageId = randomUUID();

    const ack = await emitWithAck(annSocket, 'message:send', { conversationId, clientMessageId, attachmentIds: [photo.id] });

    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(ack.message).toMatchObject({ content: '', clientMessageId, attachments: [summary(photo)] });
    const [sent] = await confirmed.waitFor(1);
    expect(sent).toMatchObject({ messageId: ack.message.id, duplicate: false });
    const [event] = await received.waitFor(1);
    expect(event.message).toMatchObject({ id: ack.message.id, content: '', attachments: [summary(photo)] });
    expect((await download(ben, photo.id)).status).toBe(200);
  });

  it('takes empty text with files and refuses it without, over both transports', async () => {
    const { ann, conversationId } = await setUp();
    const before = await written(conversationId);

    await send(ann, conversationId, { content: '' }).expect(400);
    await send(ann, conversationId, { content: '   ' }).expect(400);
    await send(ann, conversationId, {}).expect(400);
    await send(ann, conversationId, { content: '', attachmentIds: [] }).expect(400);
    const annSocket = await sockets.open(ann);
    const refused = await emitWithAck(annSocket, 'message:send', { conversationId, clientMessageId: randomUUID(), content: '' });
    expect(refused).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    expect(await written(conversationId)).toEqual(before);

    const photo = await upload(ann, png(), 'a.png');
    const res = await send(ann, conversationId, { content: '  ', attachmentIds: [photo.id] }).expect(201);
    expect(res.body).toMatchObject({ content: '', attachments: [summary(photo)] });
    expect(await written(conversationId)).toEqual({ lastSeq: before.lastSeq + 1, messages: before.messages + 1 });
    // The conversation list names the files of a preview that has no text.
    expect(await lastMessageOf(ann, conversationId)).toMatchObject({ preview: '', attachmentNames: ['a.png'] });
  });

  it('refuses someone else’s file, an attached file, an unknown id, a repeated id and 11 ids, and writes nothing', async () => {
    const { ann, ben, conversationId } = await setUp();
    const bensFile = await upload(ben, png(), 'bens.png');
    const taken = await upload(ann, png(), 'taken.png');
    await send(ann, conversationId, { content: 'first', attachmentIds: [taken.id] }).expect(201);
    const free = await upload(ann, png(), 'free.png');
    const many = await Promise.all(Array.from({ length: 11 }, (_, i) => upload(ann, text(`file ${i}`), `f${i}.txt`)));
    const before = await written(conversationId);

    const refusals = [
      [bensFile.id],
      [taken.id],
      [randomUUID()],
      // One bad file among good ones attaches none of them.
      [free.id, bensFile.id],
      [free.id, free.id],
      many.map((file) => file.id),
    ];
    for (const attachmentIds of refusals) {
      const res = await send(ann, conversationId, { content: 'with files', attachmentIds });
      expect(res.status, JSON.stringify({ attachmentIds, body: res.body })).toBe(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        details: [expect.objectContaining({ path: expect.stringContaining('attachmentIds') })],
      });
    }
    const annSocket = await sockets.open(ann);
    const ack = await emitWithAck(annSocket, 'message:send', { conversationId, clientMessageId: randomUUID(), content: 'x', attachmentIds: [bensFile.id] });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });

    expect(await written(conversationId)).toEqual(before);
    const state = await attachedTo([bensFile.id, free.id, ...many.map((file) => file.id)]);
    expect(Object.values(state).every((messageId) => messageId === null)).toBe(true);
    // Still free: the refused sends claimed nothing.
    const later = await send(ann, conversationId, { content: 'now', attachmentIds: [free.id] }).expect(201);
    expect((await attachedTo([free.id]))[free.id]).toBe((later.body as Message).id);
  });

  it('answers a resend with the stored message and its files, however many race, over both transports', async () => {
    const { ann, conversationId } = await setUp();
    const one = await upload(ann, png(), 'one.png');
    const two = await upload(ann, png(), 'two.png');
    const both = summaries([one, two]);
    const body = { clientMessageId: randomUUID(), content: 'twice', attachmentIds: [one.id, two.id] };
    const before = await written(conversationId);

    const answers = await Promise.all(Array.from({ length: 5 }, () => send(ann, conversationId, body)));

    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((res) => (res.body as Message).id));
    expect(ids.size).toBe(1);
    for (const res of answers) expect((res.body as Message).attachments).toMatchObject(both);
    const again = await send(ann, conversationId, body).expect(200);
    expect(again.body).toMatchObject({ id: [...ids][0], attachments: both });
    const annSocket = await sockets.open(ann);
    const ack = await emitWithAck(annSocket, 'message:send', { conversationId, ...body });
    expect(ack).toMatchObject({ ok: true, duplicate: true, messageId: [...ids][0], message: { attachments: both } });
    expect(await written(conversationId)).toEqual({ lastSeq: before.lastSeq + 1, messages: before.messages + 1 });
  });

  it('answers a resend the dedup fast path no longer knows with the stored message, though its files are now taken', async () => {
    const { ann, conversationId } = await setUp();
    const photo = await upload(ann, png(), 'once.png');
    const body = { clientMessageId: randomUUID(), content: 'once', attachmentIds: [photo.id] };
    const first = (await send(ann, conversationId, body).expect(201)).body as Message;
    const before = await written(conversationId);
    // As after its record expired or while Redis was unreachable: the insert decides.
    vi.spyOn(app.app.get(SendGate), 'admit').mockResolvedValueOnce({ kind: 'allowed' });

    const again = await send(ann, conversationId, body);

    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ id: first.id, attachments: [summary(photo)] });
    expect(await written(conversationId)).toEqual(before);
  });

  it('edits the text of a message with files down to nothing and back, and refuses empty text for a message without files', async () => {
    const { ann, conversationId } = await setUp();
    const photo = await upload(ann, png(), 'view.png');
    const withFile = (await send(ann, conversationId, { content: 'the view', attachmentIds: [photo.id] }).expect(201)).body as Message;
    const plain = (await send(ann, conversationId, { content: 'just words' }).expect(201)).body as Message;
    const edit = (id: string, content: string) => http().patch(`/api/conversations/${conversationId}/messages/${id}`).set(bearer(ann)).send({ content });

    const cleared = await edit(withFile.id, '  ');
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ content: '', editedAt: expect.any(String), attachments: [summary(photo)] });
    expect((await edit(withFile.id, 'the view, again').expect(200)).body).toMatchObject({ content: 'the view, again' });

    const refused = await edit(plain.id, '');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', message: 'Message cannot be empty' });
    const page = await history(ann, conversationId);
    expect(page.messages.find((message) => message.id === plain.id)).toMatchObject({ content: 'just words', editedAt: null });
  });

  it('a deleted message lists no files, and its files are gone for everyone, bytes included', async () => {
    const { ann, ben, conversationId } = await setUp();
    const photo = await upload(ann, png(), 'oops.png');
    const notes = await upload(ann, text('not for them'), 'oops.txt');
    const sent = (await send(ann, conversationId, { content: 'oops', attachmentIds: [photo.id, notes.id] }).expect(201)).body as Message;
    expect((await download(ben, photo.id)).status).toBe(200);
    await expect.poll(async () => (await http().get(`/api/files/${photo.id}/thumbnail`).set(bearer(ben))).status).toBe(200);
    const { db } = dbProbe(app);
    const stored = await db
      .select({ storageKey: files.storageKey, thumbnailKey: files.thumbnailKey })
      .from(files)
      .where(inArray(files.id, [photo.id, notes.id]));
    const keys = stored.flatMap((row) => [row.storageKey, row.thumbnailKey]).filter((key) => key !== null);
    expect(keys).toHaveLength(3);
    const storage = app.app.get(FileStorage);
    for (const key of keys) expect(await storage.size(key), key).not.toBeNull();

    await http().delete(`/api/conversations/${conversationId}/messages/${sent.id}`).set(bearer(ann)).expect(204);

    for (const id of [photo.id, notes.id]) {
      expect((await download(ben, id)).status).toBe(404);
      expect((await download(ann, id)).status).toBe(404);
    }
    expect(await attachedTo([photo.id, notes.id])).toEqual({});
    for (const key of keys) expect(await storage.size(key), key).toBeNull();
    const page = await history(ben, conversationId);
    expect(page.messages.find((message) => message.id === sent.id)).toMatchObject({ content: '', attachments: [] });
    const benSocket = await sockets.open(ben);
    const synced = await emitWithAck(benSocket, 'sync', {
      conversations: [{ conversationId, afterSeq: sent.seq, updatedSince: new Date(Date.now() - 60_000).toISOString() }],
    });
    const update = (synced.conversations[0].updates as Message[]).find((message) => message.id === sent.id);
    expect(update).toMatchObject({ deletedAt: expect.any(String), attachments: [] });
    expect(await lastMessageOf(ben, conversationId)).toMatchObject({ id: sent.id, deleted: true, attachmentNames: [] });
  });

  it('history pages, sync, edits and search results carry the files of each message', async () => {
    const { ann, ben, conversationId } = await setUp();
    const sentIds: string[] = [];
    const filesOf = new Map<string, UploadedFile[]>();
    for (let i = 1; i <= 6; i++) {
      const attached = i % 2 === 0 ? [await upload(ann, png(), `p${i}.png`), await upload(ann, text(`t${i}`), `t${i}.txt`)] : [];
      const res = await send(ann, conversationId, { content: `lighthouse photo ${i}`, attachmentIds: attached.map((file) => file.id) }).expect(201);
      sentIds.push((res.body as Message).id);
      filesOf.set((res.body as Message).id, attached);
    }
    const expectFiles = (list: Message[]) => {
      expect(list.length).toBeGreaterThan(0);
      for (const message of list) expect(summaries(message.attachments), `message ${message.seq}`).toEqual(summaries(filesOf.get(message.id) ?? []));
    };
    const all = await history(ben, conversationId);
    expect(all.messages.filter((message) => message.attachments.length === 2)).toHaveLength(3);
    expectFiles(all.messages);
    const seqs = all.messages.filter((message) => filesOf.has(message.id)).map((message) => message.seq);
    expectFiles((await history(ben, conversationId, { beforeSeq: seqs[4], limit: 3 })).messages);
    expectFiles((await history(ben, conversationId, { afterSeq: seqs[1], limit: 3 })).messages);
    expectFiles((await history(ben, conversationId, { aroundSeq: seqs[3], limit: 3 })).messages);

    const benSocket = await sockets.open(ben);
    const synced = await emitWithAck(benSocket, 'sync', { conversations: [{ conversationId, afterSeq: 0 }] });
    expect(synced.ok).toBe(true);
    expectFiles(synced.conversations[0].messages);

    const updated = collect(benSocket, 'message:updated');
    const edited = await http()
      .patch(`/api/conversations/${conversationId}/messages/${sentIds[1]}`)
      .set(bearer(ann))
      .send({ content: 'lighthouse at dusk' })
      .expect(200);
    expectFiles([edited.body as Message]);
    expect(filesOf.get(sentIds[1])).toHaveLength(2);
    const [event] = await updated.waitFor(1);
    expectFiles([event.message]);

    const search = await http().get('/api/search/messages').query({ q: 'lighthouse' }).set(bearer(ben)).expect(200);
    const results = (search.body as { results: Array<{ message: Message }> }).results.map((result) => result.message);
    expect(results).toHaveLength(6);
    expectFiles(results);
  });

  it('a plain text message still has an empty list of files', async () => {
    const { ann, ben, conversationId } = await setUp();
    const sent = await sendMessage<Message>(app, ann, conversationId, 'just words');
    expect(sent.attachments).toEqual([]);
    expect((await history(ben, conversationId)).messages.find((message) => message.id === sent.id)?.attachments).toEqual([]);
  });
});
