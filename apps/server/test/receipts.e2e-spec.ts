import { randomUUID } from 'node:crypto';
import { conversationDetailSchema, conversationPageSchema, messageReceiptsSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, collect, emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

describe('read receipts and unread counts', () => {
  const suite = useSocketSuite({ RECEIPT_FLUSH_INTERVAL_MS: '200' });
  const open = suite.open;
  const direct = async (a: SignedIn, b: SignedIn) => (await createDirect(suite.app, a, b)).id;
  const group = async (owner: SignedIn, members: SignedIn[]) => (await createGroup(suite.app, owner, members, { title: 'G' })).id;
  const say = async (user: SignedIn, conversationId: string, content = 'hi') => {
    const res = await suite.app.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(user)).send({ content, clientMessageId: randomUUID() });
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number };
  };
  const unread = async (user: SignedIn, conversationId: string) =>
    conversationPageSchema
      .parse((await suite.app.http().get('/api/conversations?limit=100').set(bearer(user))).body)
      .conversations.find((c) => c.id === conversationId)?.unreadCount;
  const read = (user: SignedIn, conversationId: string, messageId: string) =>
    suite.app.http().post(`/api/conversations/${conversationId}/read`).set(bearer(user)).send({ messageId });

  it('tells the sender of a 1:1 message at once when it is read, and clears the reader badge on their other devices', async () => {
    const [alice, bob] = await registerUsers(suite.app, 2);
    const id = await direct(alice, bob);
    const aliceSocket = await open(alice);
    const bobPhone = await open(bob);
    const bobLaptop = await open(bob);
    const receipts = collect(aliceSocket, 'receipt:updated');
    const laptopReads = collect(bobLaptop, 'conversation:read');
    const m1 = await say(alice, id, 'one');
    const m2 = await say(alice, id, 'two');
    expect(await unread(bob, id)).toBe(2);

    const ack = await emitWithAck(bobPhone, 'receipt:read', { conversationId: id, messageId: m2.id });
    expect(ack).toMatchObject({ ok: true, lastReadSeq: m2.seq, unreadCount: 0 });
    const [receipt] = await receipts.waitFor(1);
    expect(receipt).toMatchObject({ conversationId: id, messageId: m2.id, seq: m2.seq, userId: bob.auth.user.id });
    expect((await laptopReads.waitFor(1))[0]).toEqual({ conversationId: id, lastReadSeq: m2.seq, unreadCount: 0, mentionCount: 0 });
    expect(await unread(bob, id)).toBe(0);

    // Reading message 2 read message 1 too.
    const readers = messageReceiptsSchema.parse((await suite.app.http().get(`/api/messages/${m1.id}/receipts`).set(bearer(alice))).body);
    expect(readers).toMatchObject({ totalCount: 1, readCount: 1 });
    expect(readers.receipts[0].user.id).toBe(bob.auth.user.id);
  });

  it("sends conversation:read for a group read to the reader's other devices only, never back to the device that read", async () => {
    const [alice, bob, carol] = await registerUsers(suite.app, 3);
    const id = await group(alice, [bob, carol]);
    const phone = await open(bob);
    const laptop = await open(bob);
    const carolOnly = await open(carol);
    const reads = { phone: collect(phone, 'conversation:read'), laptop: collect(laptop, 'conversation:read'), carol: collect(carolOnly, 'conversation:read') };
    const arrivals = [phone, laptop, carolOnly].map((socket) => collect(socket, 'message:received'));
    await say(alice, id, 'one');
    const m2 = await say(alice, id, 'two');

    expect(await emitWithAck(phone, 'receipt:read', { conversationId: id, messageId: m2.id })).toMatchObject({
      ok: true,
      conversationId: id,
      lastReadSeq: m2.seq,
      unreadCount: 0,
    });
    expect((await reads.laptop.waitFor(1))[0]).toEqual({ conversationId: id, lastReadSeq: m2.seq, unreadCount: 0, mentionCount: 0 });
    // Carol has one device: the ack is all she needs.
    expect(await emitWithAck(carolOnly, 'receipt:read', { conversationId: id, messageId: m2.id })).toMatchObject({
      ok: true,
      lastReadSeq: m2.seq,
      unreadCount: 0,
    });

    // The laptop reads the next message; the phone hears of that one, which would come after any about its own read.
    const m3 = await say(alice, id, 'three');
    expect(await emitWithAck(laptop, 'receipt:read', { conversationId: id, messageId: m3.id })).toMatchObject({
      ok: true,
      lastReadSeq: m3.seq,
      unreadCount: 0,
    });
    expect(await reads.phone.waitFor(1)).toEqual([{ conversationId: id, lastReadSeq: m3.seq, unreadCount: 0, mentionCount: 0 }]);

    // A message after all the reads reaches every device behind any read event still on its way.
    await say(alice, id, 'four');
    for (const arrived of arrivals) await arrived.waitFor(4);
    expect(reads.phone.items).toEqual([{ conversationId: id, lastReadSeq: m3.seq, unreadCount: 0, mentionCount: 0 }]);
    expect(reads.laptop.items).toEqual([{ conversationId: id, lastReadSeq: m2.seq, unreadCount: 0, mentionCount: 0 }]);
    expect(reads.carol.items).toEqual([]);
  });

  it('never moves a marker back when an older read arrives late', async () => {
    const [alice, bob] = await registerUsers(suite.app, 2);
    const id = await direct(alice, bob);
    const aliceSocket = await open(alice);
    const receipts = collect(aliceSocket, 'receipt:updated');
    const m1 = await say(alice, id);
    const m2 = await say(alice, id);
    const m3 = await say(alice, id);
    expect((await read(bob, id, m3.id)).body).toMatchObject({ lastReadSeq: m3.seq, unreadCount: 0 });
    expect((await read(bob, id, m1.id)).body).toMatchObject({ lastReadSeq: m3.seq, unreadCount: 0 });
    await receipts.waitFor(1);
    await sleep(200);
    expect(receipts.items).toHaveLength(1);
    const detail = conversationDetailSchema.parse((await suite.app.http().get(`/api/conversations/${id}`).set(bearer(alice))).body);
    expect(detail.participants.find((p) => p.user.id === bob.auth.user.id)!.lastReadSeq).toBe(m3.seq);
    void m2;
  });

  it('batches group-of-12 reads into one receipt:count per flush with the exact number of readers', async () => {
    const people = await registerUsers(suite.app, 12);
    const [owner, ...members] = people;
    const id = await group(owner, members);
    const ownerSocket = await open(owner);
    const counts = collect(ownerSocket, 'receipt:count');
    const updates = collect(ownerSocket, 'receipt:updated');
    const last = await say(owner, id, 'read me');
    await Promise.all(members.map((m) => read(m, id, last.id)));
    const deadline = Date.now() + 5000;
    while (!counts.items.some((c) => c.count === 11) && Date.now() < deadline) await sleep(20);
    expect(counts.items.at(-1)).toEqual({ conversationId: id, messageId: last.id, seq: last.seq, count: 11 });
    expect(updates.items).toHaveLength(0);
    const readers = messageReceiptsSchema.parse((await suite.app.http().get(`/api/messages/${last.id}/receipts`).set(bearer(owner))).body);
    expect(readers).toMatchObject({ totalCount: 11, readCount: 11 });
  });

  it('hides a reader who turned read receipts off: no event, not listed, not counted', async () => {
    const [alice, shy, open2] = await registerUsers(suite.app, 3);
    expect((await suite.app.http().patch('/api/users/me/settings').set(bearer(shy)).send({ readReceiptsEnabled: false })).body).toMatchObject({
      readReceiptsEnabled: false,
    });
    const id = await group(alice, [shy, open2]);
    const aliceSocket = await open(alice);
    const receipts = collect(aliceSocket, 'receipt:updated');
    const m = await say(alice, id);
    await read(shy, id, m.id);
    await read(open2, id, m.id);
    await receipts.waitFor(1);
    await sleep(200);
    expect(receipts.items.map((r) => r.userId)).toEqual([open2.auth.user.id]);
    const readers = messageReceiptsSchema.parse((await suite.app.http().get(`/api/messages/${m.id}/receipts`).set(bearer(alice))).body);
    expect(readers).toMatchObject({ totalCount: 1, readCount: 1 });
    const detail = conversationDetailSchema.parse((await suite.app.http().get(`/api/conversations/${id}`).set(bearer(alice))).body);
    expect(detail.participants.find((p) => p.user.id === shy.auth.user.id)!.lastReadSeq).toBeNull();
    // Their own unread count still works.
    expect(await unread(shy, id)).toBe(0);
    const own = conversationDetailSchema.parse((await suite.app.http().get(`/api/conversations/${id}`).set(bearer(shy))).body);
    expect(own.participants.find((p) => p.user.id === shy.auth.user.id)!.lastReadSeq).toBe(m.seq);
  });

  it('answers a burst of reads from many readers, each on its own, and leaves every marker at the furthest read', async () => {
    const [owner, outsider, ...members] = await registerUsers(suite.app, 12);
    const id = await group(owner, members);
    const elsewhere = await say(owner, await direct(owner, members[0]), 'another chat');
    const sent: { id: string; seq: number }[] = [];
    for (let i = 0; i < 10; i++) sent.push(await say(owner, id, `m${i}`));
    const ownerSocket = await open(owner);
    const counts = collect(ownerSocket, 'receipt:count');
    const memberSockets = await Promise.all(members.map((m) => open(m)));
    const outsiderSocket = await open(outsider);

    // Every member reads a few messages at once, out of order; the furthest differs per member.
    const furthest = members.map((_, i) => i % sent.length);
    const reads = members.flatMap((_, i) =>
      [furthest[i], Math.floor(furthest[i] / 2), 0].map((index) => ({ socket: memberSockets[i], index, expectedAtLeast: sent[index].seq })),
    );
    const [acks, outsiderAck, wrongMessageAck] = await Promise.all([
      Promise.all(reads.map(({ socket, index }) => emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: sent[index].id }))),
      emitWithAck(outsiderSocket, 'receipt:read', { conversationId: id, messageId: sent[9].id }),
      emitWithAck(memberSockets[0], 'receipt:read', { conversationId: id, messageId: elsewhere.id }),
    ]);
    acks.forEach((ack, i) => {
      expect(ack).toMatchObject({ ok: true, conversationId: id });
      expect((ack as { lastReadSeq: number }).lastReadSeq).toBeGreaterThanOrEqual(reads[i].expectedAtLeast);
    });
    expect(outsiderAck).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
    expect(wrongMessageAck).toMatchObject({ ok: false, code: 'MESSAGE_NOT_FOUND' });

    const detail = conversationDetailSchema.parse((await suite.app.http().get(`/api/conversations/${id}`).set(bearer(owner))).body);
    members.forEach((member, i) => {
      expect(detail.participants.find((p) => p.user.id === member.auth.user.id)!.lastReadSeq).toBe(sent[furthest[i]].seq);
    });
    for (const [i, member] of members.entries()) expect(await unread(member, id)).toBe(sent.length - 1 - furthest[i]);

    // The batched count of the newest message is exact: only the member whose furthest read is it.
    // A flush in the middle of the burst announces the reads stored so far; the one after the last
    // read must give the exact figure, and none may count more.
    const readersOfLast = furthest.filter((index) => index === sent.length - 1).length;
    const expected = { conversationId: id, messageId: sent[9].id, seq: sent[9].seq, count: readersOfLast };
    const deadline = Date.now() + 5000;
    while (counts.items.at(-1)?.count !== readersOfLast && Date.now() < deadline) await sleep(20);
    expect(counts.items.at(-1)).toEqual(expected);
    for (const count of counts.items) expect(count.count).toBeLessThanOrEqual(readersOfLast);
  });

  it('lets the owner leave a group in the middle of a burst of reads: every read is answered, none with a server error, and markers end at the furthest read', async () => {
    const [owner, sender, ...readers] = await registerUsers(suite.app, 12);
    const ownerSocket = await open(owner);
    const readerSockets = await Promise.all(readers.map((r) => open(r)));
    let lastId = '';
    let lastMessageId = '';
    // The race is short; several rounds, with the leave at a different point among the reads each time
    // (4 rounds of 6 messages stay under the per-user send limit of 30 a minute).
    for (let round = 0; round < 4; round++) {
      const id = await group(owner, [sender, ...readers]);
      const sent: { id: string; seq: number }[] = [];
      for (let i = 0; i < 6; i++) sent.push(await say(sender, id, `round ${round} m${i}`));
      const readOf = (socket: ClientSocket, index: number) => emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: sent[index].id });

      const furthest = readers.map((_, i) => (i + round) % sent.length);
      const readerReads = readers.flatMap((_, i) => [furthest[i], Math.floor(furthest[i] / 2), 0].map((index) => ({ reader: i, index })));
      const split = Math.floor((readerReads.length * (round + 1)) / 5);
      const before = readerReads.slice(0, split).map(({ reader, index }) => readOf(readerSockets[reader], index));
      const ownerBefore = [0, 1, 2].map((index) => readOf(ownerSocket, index));
      // `then` sends the request now, while the reads above are in flight.
      const leave = suite.app
        .http()
        .delete(`/api/conversations/${id}/leave`)
        .set(bearer(owner))
        .then((res) => res);
      const ownerAfter = [3, 4, 5].map((index) => readOf(ownerSocket, index));
      const after = readerReads.slice(split).map(({ reader, index }) => readOf(readerSockets[reader], index));

      const [left, readerAcks, ownerAcks] = await Promise.all([leave, Promise.all([...before, ...after]), Promise.all([...ownerBefore, ...ownerAfter])]);
      expect(left.status).toBe(204);
      readerAcks.forEach((ack, i) => {
        expect(ack, `round ${round}, read ${i}`).toMatchObject({ ok: true, conversationId: id });
        expect(ack.lastReadSeq).toBeGreaterThanOrEqual(sent[readerReads[i].index].seq);
      });
      // Each owner read happened before the leave (ok, marker at or past it) or after (refused).
      ownerAcks.forEach((ack, index) => {
        expect(['ok', 'NOT_IN_CONVERSATION'], `round ${round}: ${JSON.stringify(ack)}`).toContain(ack.ok ? 'ok' : ack.code);
        if (ack.ok) expect(ack.lastReadSeq, `round ${round}: ${JSON.stringify(ack)}`).toBeGreaterThanOrEqual(sent[index].seq);
      });

      const detail = conversationDetailSchema.parse((await suite.app.http().get(`/api/conversations/${id}`).set(bearer(sender))).body);
      expect(detail.participants.map((p) => p.user.id)).not.toContain(owner.auth.user.id);
      expect(detail.ownerId).not.toBe(owner.auth.user.id);
      readers.forEach((reader, i) => {
        expect(detail.participants.find((p) => p.user.id === reader.auth.user.id)!.lastReadSeq, `round ${round}, reader ${i}`).toBe(sent[furthest[i]].seq);
      });
      lastId = id;
      lastMessageId = sent[5].id;
    }
    expect(await emitWithAck(ownerSocket, 'receipt:read', { conversationId: lastId, messageId: lastMessageId })).toMatchObject({
      ok: false,
      code: 'NOT_IN_CONVERSATION',
    });
  });

  it('keeps unread counts exact through reads on two devices, deletes, leaving and rejoining', async () => {
    const [alice, bob, carol] = await registerUsers(suite.app, 3);
    const id = await group(alice, [bob, carol]);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await say(alice, id, `m${i}`));
    expect(await unread(bob, id)).toBe(5);
    expect(await unread(alice, id)).toBe(0);

    const phone = await open(bob);
    await emitWithAck(phone, 'receipt:read', { conversationId: id, messageId: sent[2].id });
    expect(await unread(bob, id)).toBe(2);

    // Deleting an unread message removes it from the count; deleting a read one changes nothing.
    await suite.app.http().delete(`/api/conversations/${id}/messages/${sent[4].id}`).set(bearer(alice));
    await suite.app.http().delete(`/api/conversations/${id}/messages/${sent[0].id}`).set(bearer(alice));
    expect(await unread(bob, id)).toBe(1);
    expect(await unread(carol, id)).toBe(3);

    // Carol sends: her own message is not unread for her, and her marker moves past what she had not read.
    await say(carol, id, 'carol here');
    expect(await unread(carol, id)).toBe(0);
    expect(await unread(bob, id)).toBe(2);

    // Bob leaves; what is said while he is away is not waiting for him when he is added back.
    await suite.app.http().delete(`/api/conversations/${id}/leave`).set(bearer(bob));
    await say(alice, id, 'while away 1');
    await say(alice, id, 'while away 2');
    await suite.app
      .http()
      .post(`/api/conversations/${id}/participants`)
      .set(bearer(alice))
      .send({ userIds: [bob.auth.user.id] });
    expect(await unread(bob, id)).toBe(0);
    await say(alice, id, 'welcome back');
    expect(await unread(bob, id)).toBe(1);
  });

  it('refuses outsiders with 403, unknown messages with 404, bad ids with 400', async () => {
    const [alice, bob, mallory] = await registerUsers(suite.app, 3);
    const id = await direct(alice, bob);
    const m = await say(alice, id);
    expect((await suite.app.http().get(`/api/messages/${m.id}/receipts`).set(bearer(mallory))).status).toBe(403);
    expect((await read(mallory, id, m.id)).status).toBe(403);
    expect((await suite.app.http().get(`/api/messages/${randomUUID()}/receipts`).set(bearer(alice))).status).toBe(404);
    expect((await read(bob, id, randomUUID())).status).toBe(404);
    expect((await suite.app.http().get('/api/messages/nope/receipts').set(bearer(alice))).status).toBe(400);
    expect((await read(bob, id, 'nope')).status).toBe(400);
    const socket = await open(mallory);
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: m.id })).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id } as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
  });

  it('reads and updates privacy settings, refusing bad values', async () => {
    const [user] = await registerUsers(suite.app, 1);
    const notifications = { notificationDefaults: { direct: 'all', group: 'all', largeGroup: 'mentions' }, pushPreview: true };
    expect((await suite.app.http().get('/api/users/me/settings').set(bearer(user))).body).toEqual({
      readReceiptsEnabled: true,
      presenceEnabled: true,
      presenceSharing: 'everyone',
      ...notifications,
    });
    const res = await suite.app.http().patch('/api/users/me/settings').set(bearer(user)).send({ presenceSharing: 'friends', presenceEnabled: false });
    expect(res.body).toEqual({ readReceiptsEnabled: true, presenceEnabled: false, presenceSharing: 'friends', ...notifications });
    expect((await suite.app.http().patch('/api/users/me/settings').set(bearer(user)).send({ presenceSharing: 'aliens' })).status).toBe(400);
    expect((await suite.app.http().patch('/api/users/me/settings').set(bearer(user)).send({})).status).toBe(400);
    expect((await suite.app.http().patch('/api/users/me/settings').set(bearer(user)).send({ readReceiptsEnabled: 'yes' })).status).toBe(400);
    expect((await suite.app.http().get('/api/auth/me').set(bearer(user))).body.settings.presenceSharing).toBe('friends');
  });

  it('documents the receipt and settings endpoints in Swagger', async () => {
    const doc = (await suite.app.http().get('/api/docs-json')).body;
    for (const path of ['/api/messages/{id}/receipts', '/api/conversations/{id}/read', '/api/users/me/settings']) expect(doc.paths).toHaveProperty([path]);
  });
});
