import { createHmac, randomUUID } from 'node:crypto';
import { messages as messagesTable } from '@chat/db';
import { type Message, messagePageSchema, messageSchema } from '@chat/shared';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { type ClientSocket, collect, connectExpectingRefusal, connectSocket, emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';
import { TEST_SECRETS, type TestApp } from './support/test-app';

describe('real-time core on one node', () => {
  let t: TestApp;
  let alice: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  let mallory: SignedIn;
  let conversationId: string;
  const suite = useSocketSuite({ TYPING_TIMEOUT_SECONDS: '0.5', HEARTBEAT_TIMEOUT_SECONDS: '1.5' });
  const open = suite.open;
  const send = (socket: ClientSocket, content: string, id = conversationId, clientMessageId = randomUUID()) =>
    emitWithAck(socket, 'message:send', { conversationId: id, content, clientMessageId });
  const newGroup = async (owner: SignedIn, members: SignedIn[]) => (await createGroup(t, owner, members, { title: 'Room' })).id;
  const storedMessages = async (id: string) => {
    const { db } = dbProbe(t);
    return db.select().from(messagesTable).where(eq(messagesTable.conversationId, id)).orderBy(asc(messagesTable.seq));
  };

  beforeAll(async () => {
    t = suite.app;
    [alice, bob, carol, mallory] = await registerUsers(t, 4);
    conversationId = await newGroup(alice, [bob, carol]);
  });

  describe('connection', () => {
    it('authenticates with auth.token or ?token= and says auth:success', async () => {
      const socket = await open(alice);
      expect(socket.connected).toBe(true);
      const viaQuery = await connectExpectingRefusal(t.baseUrl, {}, { token: alice.auth.accessToken });
      expect(viaQuery).toMatchObject({ authenticated: true, disconnected: false });
      expect(viaQuery.authError).toBeUndefined();
    });

    it.each([
      ['no token', {}],
      ['a garbage token', { token: 'nope' }],
      ['a token signed with another key', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }],
    ])('refuses %s with auth:error AUTH_FAILED and disconnects', async (_case, auth) => {
      const result = await connectExpectingRefusal(t.baseUrl, auth);
      expect(result.authError).toMatchObject({ code: 'AUTH_FAILED' });
      expect(result.disconnected).toBe(true);
    });

    it('refuses alg none, an expired token and a not-yet-valid token at the handshake', async () => {
      const [, payload] = alice.auth.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const sign = (body: object) => {
        const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(body)}`;
        return `${unsigned}.${createHmac('sha256', TEST_SECRETS.JWT_ACCESS_SECRET).update(unsigned).digest('base64url')}`;
      };
      const now = Math.floor(Date.now() / 1000);
      for (const token of [`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`, sign({ ...claims, exp: now - 5 }), sign({ ...claims, nbf: now + 3600 })]) {
        const result = await connectExpectingRefusal(t.baseUrl, { token });
        expect(result.authError).toMatchObject({ code: 'AUTH_FAILED' });
        expect(result.authenticated).toBe(false);
      }
    });

    it('closes the connection on a frame over the 1 MB limit, and the client can reconnect and carry on', async () => {
      const socket = await open(alice);
      const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve));
      socket.emit('message:send', { conversationId, content: 'x'.repeat(1_200_000), clientMessageId: randomUUID() });
      expect(await Promise.race([closed, sleep(5000).then(() => 'still open')])).not.toBe('still open');
      const again = await open(alice);
      expect((await send(again, 'back again')).ok).toBe(true);
    });

    it('refuses a refresh token and a logged-out access token', async () => {
      const [user] = await registerUsers(t, 1);
      const refresh = user.refreshCookie.slice('refresh_token='.length);
      expect((await connectExpectingRefusal(t.baseUrl, { token: refresh })).authError).toMatchObject({ code: 'AUTH_FAILED' });
      await t.http().post('/api/auth/logout').set(bearer(user));
      expect((await connectExpectingRefusal(t.baseUrl, { token: user.auth.accessToken })).authError).toMatchObject({ code: 'AUTH_FAILED' });
    });

    it('refuses a handshake from a foreign browser origin', async () => {
      const result = await connectExpectingRefusal(t.baseUrl, { token: alice.auth.accessToken }, {}, { Origin: 'https://evil.example' });
      expect(result.connectError).toBeDefined();
      const sameOrigin = await connectExpectingRefusal(t.baseUrl, { token: alice.auth.accessToken }, {}, { Origin: t.baseUrl });
      expect(sameOrigin).toMatchObject({ authenticated: true });
    });

    it('closes the sockets of a session when it logs out', async () => {
      const [user] = await registerUsers(t, 1);
      const socket = await open(user);
      const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
      await t.http().post('/api/auth/logout').set(bearer(user));
      expect(await Promise.race([disconnected, sleep(3000).then(() => 'still connected')])).not.toBe('still connected');
    });

    it('drops a socket that stays silent past the heartbeat timeout, keeps one that beats', async () => {
      const silent = await open(alice);
      const beating = await open(bob);
      const timer = setInterval(() => beating.emit('presence:heartbeat', { status: 'online' }), 300);
      const dropped = new Promise<void>((resolve) => silent.on('disconnect', () => resolve()));
      await Promise.race([
        dropped,
        sleep(6000).then(() => {
          throw new Error('silent socket was not dropped');
        }),
      ]);
      clearInterval(timer);
      expect(beating.connected).toBe(true);
    });
  });

  describe('sending', () => {
    it('acks only after the message is stored, and delivers it to every other device of every participant', async () => {
      const aliceLaptop = await open(alice);
      const alicePhone = await open(alice);
      const bobSocket = await open(bob);
      const outsider = await open(mallory);
      const phoneGot = collect(alicePhone, 'message:received');
      const bobGot = collect(bobSocket, 'message:received');
      const outsiderGot = collect(outsider, 'message:received');
      const laptopEcho = collect(aliceLaptop, 'message:received');
      const sentEvents = collect(aliceLaptop, 'message:sent');

      const ack = await send(aliceLaptop, '  Hello, team!  ');
      expect(ack.ok).toBe(true);
      expect(ack.status).toBe('delivered');
      // Durable before confirmed: the row exists by the time the ack arrives.
      const stored = await storedMessages(conversationId);
      expect(stored.map((m) => m.id)).toContain(ack.messageId);

      const [received] = await bobGot.waitFor(1);
      const message = messageSchema.parse(received.message);
      expect(message).toMatchObject({ id: ack.messageId, content: 'Hello, team!', seq: ack.seq, senderId: alice.auth.user.id });
      await phoneGot.waitFor(1);
      // The sender gets the message once, in the ack: the event only confirms it.
      const [sentEvent] = await sentEvents.waitFor(1);
      expect(sentEvent).toEqual({
        clientMessageId: expect.any(String),
        messageId: ack.messageId,
        conversationId,
        seq: ack.seq,
        status: 'delivered',
        timestamp: expect.any(String),
        duplicate: false,
      });
      expect(ack.message).toMatchObject({ id: ack.messageId, content: 'Hello, team!' });
      await sleep(150);
      expect(laptopEcho.items).toHaveLength(0);
      expect(outsiderGot.items).toHaveLength(0);
    });

    it('returns the original for a resent clientMessageId and never stores it twice, even sent concurrently', async () => {
      const socket = await open(alice);
      const other = await open(alice);
      const clientMessageId = randomUUID();
      const [a, b] = await Promise.all([send(socket, 'once', conversationId, clientMessageId), send(other, 'once', conversationId, clientMessageId)]);
      expect(a.ok && b.ok).toBe(true);
      expect(a.messageId).toBe(b.messageId);
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      const later = await send(socket, 'once', conversationId, clientMessageId);
      expect(later).toMatchObject({ ok: true, messageId: a.messageId, duplicate: true });
      const http = await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(alice)).send({ content: 'once', clientMessageId });
      expect(http.status).toBe(200);
      expect(http.body.id).toBe(a.messageId);
      const rows = (await storedMessages(conversationId)).filter((m) => m.clientMessageId === clientMessageId);
      expect(rows).toHaveLength(1);
    });

    it('gives 20 concurrent senders strictly increasing seqs with no gaps', async () => {
      const team = await registerUsers(t, 5);
      const id = await newGroup(team[0], team.slice(1));
      const teamSockets = await Promise.all(team.map((u) => open(u)));
      const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => send(teamSockets[i % teamSockets.length], `message ${i}`, id)));
      expect(acks.every((a) => a.ok)).toBe(true);
      expect(acks.map((a) => a.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await storedMessages(id)).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it.each([
      ['a missing content', (cid: string) => ({ conversationId, clientMessageId: cid })],
      ['4001 characters', (cid: string) => ({ conversationId, clientMessageId: cid, content: 'x'.repeat(4001) })],
      ['only whitespace', (cid: string) => ({ conversationId, clientMessageId: cid, content: ' \n\t ' })],
      ['content of the wrong type', (cid: string) => ({ conversationId, clientMessageId: cid, content: 42 })],
      ['a non-uuid conversation', (cid: string) => ({ conversationId: 'abc', clientMessageId: cid, content: 'hi' })],
      ['another content type', (cid: string) => ({ conversationId, clientMessageId: cid, content: 'hi', contentType: 'image' })],
      ['a 200 kB frame', (cid: string) => ({ conversationId, clientMessageId: cid, content: 'x'.repeat(200_000) })],
    ])('answers %s with VALIDATION_ERROR carrying the clientMessageId, and the socket stays usable', async (_case, build) => {
      const socket = await open(alice);
      const errors = collect(socket, 'message:error');
      const clientMessageId = randomUUID();
      const before = (await storedMessages(conversationId)).length;
      const ack = await emitWithAck(socket, 'message:send', build(clientMessageId) as never);
      expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', clientMessageId });
      const [event] = await errors.waitFor(1);
      expect(event).toMatchObject({ code: 'VALIDATION_ERROR', clientMessageId });
      expect((await storedMessages(conversationId)).length).toBe(before);
      expect((await send(socket, 'still here')).ok).toBe(true);
    });

    it('answers a payload that is not an object with VALIDATION_ERROR', async () => {
      const socket = await open(alice);
      for (const payload of [null, 'text', 42, []]) {
        expect(await emitWithAck(socket, 'message:send', payload as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
      }
      expect(socket.connected).toBe(true);
    });

    it('refuses senders who are not participants, and unknown conversations', async () => {
      const socket = await open(mallory);
      expect(await send(socket, 'let me in')).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
      expect(await send(socket, 'anyone?', randomUUID())).toMatchObject({ ok: false, code: 'CONVERSATION_NOT_FOUND' });
    });
  });

  describe('rooms and typing', () => {
    it('lets participants subscribe and refuses others with NOT_IN_CONVERSATION', async () => {
      const member = await open(bob);
      expect(await emitWithAck(member, 'subscribe', { conversationId })).toMatchObject({ ok: true });
      const outsider = await open(mallory);
      expect(await emitWithAck(outsider, 'subscribe', { conversationId })).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
      expect(await emitWithAck(outsider, 'subscribe', { conversationId: 'x' })).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    });

    it('broadcasts typing to the others, stops it after silence, and refuses typing from outsiders', async () => {
      const typist = await open(alice);
      const watcher = await open(bob);
      const started = collect(watcher, 'typing:started');
      const stopped = collect(watcher, 'typing:stopped');
      const ownStarted = collect(typist, 'typing:started');
      typist.emit('typing:start', { conversationId });
      typist.emit('typing:start', { conversationId });
      const [first] = await started.waitFor(1);
      expect(first).toEqual({ conversationId, userId: alice.auth.user.id });
      // Silence for the timeout (0.5 s here) ends it without a typing:stop.
      await stopped.waitFor(1, 3000);
      expect(started.items).toHaveLength(1);
      expect(ownStarted.items).toHaveLength(0);

      typist.emit('typing:start', { conversationId });
      await started.waitFor(2);
      typist.emit('typing:stop', { conversationId });
      await stopped.waitFor(2);

      const outsider = await open(mallory);
      const errors = collect(outsider, 'error');
      outsider.emit('typing:start', { conversationId });
      expect((await errors.waitFor(1))[0]).toMatchObject({ code: 'NOT_IN_CONVERSATION' });
    });

    it('keeps typing in a thread apart from typing in the main list, and refuses a thread root that is not a uuid', async () => {
      const root = (await send(await open(carol), 'a thread root')).messageId as string;
      const typist = await open(alice);
      const watcher = await open(bob);
      const started = collect(watcher, 'typing:started');
      const stopped = collect(watcher, 'typing:stopped');

      typist.emit('typing:start', { conversationId, threadRootId: root });
      expect((await started.waitFor(1))[0]).toEqual({ conversationId, userId: alice.auth.user.id, threadRootId: root });
      // Typing in the main list is another place: it starts on its own, with no thread named.
      typist.emit('typing:start', { conversationId });
      expect((await started.waitFor(2))[1]).toEqual({ conversationId, userId: alice.auth.user.id });

      // The thread's typing stops (on the reply, or its silence) apart from the main list's.
      const reply = await emitWithAck(typist, 'message:send', { conversationId, content: 'in the thread', clientMessageId: randomUUID(), threadRootId: root });
      expect(reply.ok).toBe(true);
      expect((await stopped.waitFor(1))[0]).toEqual({ conversationId, userId: alice.auth.user.id, threadRootId: root });
      typist.emit('typing:stop', { conversationId });
      expect((await stopped.waitFor(2))[1]).toEqual({ conversationId, userId: alice.auth.user.id });

      const errors = collect(typist, 'error');
      typist.emit('typing:start', { conversationId, threadRootId: 'not-a-uuid' });
      typist.emit('typing:stop', { conversationId, threadRootId: 42 as unknown as string });
      const refused = await errors.waitFor(2);
      expect(refused.map((error) => error.code)).toEqual(['VALIDATION_ERROR', 'VALIDATION_ERROR']);
      expect(started.items).toHaveLength(2);
      expect(typist.connected).toBe(true);
    });
  });

  describe('conversation changes reach open sockets', () => {
    it('a new member hears the conversation and its messages without reconnecting; a removed one stops hearing them', async () => {
      const ownerSocket = await open(alice);
      const carolSocket = await open(carol);
      const changes = collect(carolSocket, 'conversation:changed');
      const removed = collect(carolSocket, 'conversation:removed');
      const received = collect(carolSocket, 'message:received');
      const id = await newGroup(alice, [bob]);
      await t
        .http()
        .post(`/api/conversations/${id}/participants`)
        .set(bearer(alice))
        .send({ userIds: [carol.auth.user.id] });
      expect((await changes.waitFor(1))[0]).toEqual({ conversationId: id, kind: 'created' });
      await send(ownerSocket, 'welcome', id);
      // The message that says they were added, then the welcome.
      await received.waitFor(2);

      await t.http().delete(`/api/conversations/${id}/participants/${carol.auth.user.id}`).set(bearer(alice));
      expect((await removed.waitFor(1))[0]).toMatchObject({ conversationId: id, reason: 'removed', by: { id: alice.auth.user.id } });
      await send(ownerSocket, 'secret', id);
      await sleep(300);
      // Neither the message about the removal nor anything after it.
      expect(received.items.map((r) => r.message.system?.kind ?? r.message.content)).toEqual(['members_added', 'welcome']);
    });
  });

  describe('catch-up', () => {
    it('gives a client that was away everything it missed, in order, with edits and deletes, by sync and by REST', async () => {
      const id = await newGroup(alice, [bob]);
      const sender = await open(alice);
      const first = await send(sender, 'before you left');
      void first;
      const seen = await send(sender, 'seen', id);
      const page = messagePageSchema.parse((await t.http().get(`/api/conversations/${id}/messages`).set(bearer(bob))).body);
      const syncedAt = page.syncedAt;

      // Bob is offline now: new messages, an edit and a delete of one he had seen.
      const missed = [];
      for (let i = 0; i < 5; i++) missed.push(await send(sender, `missed ${i}`, id));
      await t.http().patch(`/api/conversations/${id}/messages/${seen.messageId}`).set(bearer(alice)).send({ content: 'seen (edited)' });
      await t.http().delete(`/api/conversations/${id}/messages/${missed[1]!.messageId}`).set(bearer(alice));

      const bobSocket = await open(bob);
      const result = await emitWithAck(bobSocket, 'sync', { conversations: [{ conversationId: id, afterSeq: seen.seq, updatedSince: syncedAt }] });
      expect(result.ok).toBe(true);
      const [synced] = result.conversations;
      expect(synced.conversationId).toBe(id);
      expect(synced.messages.map((m: Message) => m.seq)).toEqual(missed.map((m) => m.seq));
      expect(synced.messages.map((m: Message) => m.content)).toEqual(['missed 0', '', 'missed 2', 'missed 3', 'missed 4']);
      expect(synced.messages[1].deletedAt).not.toBeNull();
      expect(synced.updates.map((m: Message) => [m.id, m.content])).toEqual([[seen.messageId, 'seen (edited)']]);
      expect(synced.lastSeq).toBe(missed.at(-1)!.seq);

      const rest = messagePageSchema.parse(
        (
          await t
            .http()
            .get(`/api/conversations/${id}/messages?afterSeq=${seen.seq}&updatedSince=${encodeURIComponent(syncedAt)}`)
            .set(bearer(bob))
        ).body,
      );
      expect(rest.messages.map((m) => m.id)).toEqual(synced.messages.map((m: Message) => m.id));
      expect(rest.updates.map((m) => m.id)).toEqual([seen.messageId]);

      // A conversation the user cannot read is skipped, not leaked.
      const outsider = await open(mallory);
      expect((await emitWithAck(outsider, 'sync', { conversations: [{ conversationId: id, afterSeq: 0 }] })).conversations).toEqual([]);
      expect(await emitWithAck(outsider, 'sync', { conversations: 'all' } as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    });

    it('pages history backwards with beforeSeq', async () => {
      const id = await newGroup(alice, [bob]);
      const sender = await open(alice);
      for (let i = 1; i <= 7; i++) await send(sender, `m${i}`, id);
      const latest = messagePageSchema.parse((await t.http().get(`/api/conversations/${id}/messages?limit=3`).set(bearer(bob))).body);
      expect(latest.messages.map((m) => m.content)).toEqual(['m5', 'm6', 'm7']);
      expect(latest.hasMore).toBe(true);
      const older = messagePageSchema.parse((await t.http().get(`/api/conversations/${id}/messages?limit=3&beforeSeq=5`).set(bearer(bob))).body);
      expect(older.messages.map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
      const oldest = messagePageSchema.parse((await t.http().get(`/api/conversations/${id}/messages?limit=3&beforeSeq=2`).set(bearer(bob))).body);
      expect(oldest.messages.map((m) => m.content)).toEqual(['m1']);
      expect(oldest.hasMore).toBe(false);
    });
  });

  describe('REST messages', () => {
    it('sends over HTTP through the same pipeline: 201, broadcast, then 200 for a replay', async () => {
      const bobSocket = await open(bob);
      const got = collect(bobSocket, 'message:received');
      const clientMessageId = randomUUID();
      const res = await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(alice)).send({ content: 'over http', clientMessageId });
      expect(res.status).toBe(201);
      expect(messageSchema.parse(res.body).content).toBe('over http');
      expect((await got.waitFor(1))[0].message.id).toBe(res.body.id);
    });

    it.each([
      ['limit=0', 'limit=0'],
      ['limit=101', 'limit=101'],
      ['limit=abc', 'limit=abc'],
      ['beforeSeq=-1', 'beforeSeq=-1'],
      ['both directions', 'beforeSeq=5&afterSeq=1'],
      ['a bad date', 'afterSeq=1&updatedSince=yesterday'],
    ])('rejects history with %s with 400', async (_case, query) => {
      const res = await t.http().get(`/api/conversations/${conversationId}/messages?${query}`).set(bearer(alice));
      expect(res.status).toBe(400);
    });

    it('enforces membership on history, send, edit and delete', async () => {
      const ack = await send(await open(alice), 'mine');
      const calls = [
        t.http().get(`/api/conversations/${conversationId}/messages`),
        t.http().post(`/api/conversations/${conversationId}/messages`).send({ content: 'x', clientMessageId: randomUUID() }),
        t.http().patch(`/api/conversations/${conversationId}/messages/${ack.messageId}`).send({ content: 'x' }),
        t.http().delete(`/api/conversations/${conversationId}/messages/${ack.messageId}`),
      ];
      for (const call of calls) expect((await call.set(bearer(mallory))).status).toBe(403);
      expect((await t.http().get(`/api/conversations/${randomUUID()}/messages`).set(bearer(alice))).status).toBe(404);
    });

    it('edits and deletes only your own message, and tells everyone', async () => {
      const bobSocket = await open(bob);
      const updated = collect(bobSocket, 'message:updated');
      const deleted = collect(bobSocket, 'message:deleted');
      const ack = await send(await open(alice), 'typo');
      expect((await t.http().patch(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(bob)).send({ content: 'hacked' })).status).toBe(
        403,
      );
      const edit = await t.http().patch(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(alice)).send({ content: 'fixed' });
      expect(edit.status).toBe(200);
      expect(edit.body.editedAt).not.toBeNull();
      expect((await updated.waitFor(1))[0].message.content).toBe('fixed');

      expect((await t.http().delete(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(bob))).status).toBe(403);
      expect((await t.http().delete(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(alice))).status).toBe(204);
      expect((await deleted.waitFor(1))[0]).toMatchObject({ conversationId, messageId: ack.messageId, seq: ack.seq });
      const history = await t
        .http()
        .get(`/api/conversations/${conversationId}/messages?afterSeq=${ack.seq - 1}&limit=1`)
        .set(bearer(bob));
      expect(history.body.messages[0]).toMatchObject({ id: ack.messageId, content: '' });
      const [row] = (await storedMessages(conversationId)).filter((m) => m.id === ack.messageId);
      expect(row.content).toBe('');
      expect((await t.http().delete(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(alice))).status).toBe(404);
      expect((await t.http().patch(`/api/conversations/${conversationId}/messages/${ack.messageId}`).set(bearer(alice)).send({ content: 'back' })).status).toBe(
        404,
      );
    });
  });
});

describe('message rate limit', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '5' });

  it('counts both transports together and answers RATE_LIMITED with retryAfter / 429 with Retry-After', async () => {
    const t = suite.app;
    const [alice, bob] = await registerUsers(t, 2);
    const id = (await createDirect(t, alice, bob)).id;
    const socket = await connectSocket(t.baseUrl, alice.auth.accessToken);
    try {
      for (let i = 0; i < 3; i++)
        expect((await emitWithAck(socket, 'message:send', { conversationId: id, content: `s${i}`, clientMessageId: randomUUID() })).ok).toBe(true);
      for (let i = 0; i < 2; i++) {
        expect(
          (
            await t
              .http()
              .post(`/api/conversations/${id}/messages`)
              .set(bearer(alice))
              .send({ content: `h${i}`, clientMessageId: randomUUID() })
          ).status,
        ).toBe(201);
      }
      const limited = await emitWithAck(socket, 'message:send', { conversationId: id, content: 'one too many', clientMessageId: randomUUID() });
      expect(limited).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
      expect(limited.retryAfter).toBeGreaterThan(0);
      const http = await t.http().post(`/api/conversations/${id}/messages`).set(bearer(alice)).send({ content: 'again', clientMessageId: randomUUID() });
      expect(http.status).toBe(429);
      expect(Number(http.headers['retry-after'])).toBeGreaterThan(0);
      // Another user is not affected.
      expect((await t.http().post(`/api/conversations/${id}/messages`).set(bearer(bob)).send({ content: 'hi', clientMessageId: randomUUID() })).status).toBe(
        201,
      );
    } finally {
      socket.close();
    }
  });
});

describe('access-token expiry on an open socket', () => {
  const suite = useSocketSuite({ ACCESS_TOKEN_TTL_SECONDS: '3' });

  it('ends the socket with TOKEN_EXPIRED unless the client re-authenticates in time', async () => {
    const t = suite.app;
    const [user] = await registerUsers(t, 1);
    // A token issued right now, so slow set-up on a busy machine cannot eat its lifetime.
    const login = await t.http().post('/api/auth/login').send({ email: user.input.email, password: user.input.password });
    const lapsing = await connectSocket(t.baseUrl, login.body.accessToken);
    const renewing = await connectSocket(t.baseUrl, login.body.accessToken);
    const expired = collect(lapsing, 'auth:error');
    await sleep(1000);
    const refreshed = await t.http().post('/api/auth/refresh').set('Cookie', user.refreshCookie);
    expect(await emitWithAck(renewing, 'auth', { token: refreshed.body.accessToken })).toMatchObject({ ok: true, userId: user.auth.user.id });
    expect((await expired.waitFor(1, 6000))[0]).toMatchObject({ code: 'TOKEN_EXPIRED' });
    await sleep(200);
    expect(lapsing.connected).toBe(false);
    expect(renewing.connected).toBe(true);
    renewing.close();
  });
});
