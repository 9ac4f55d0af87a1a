import { randomUUID } from 'node:crypto';
import { conversationDetailSchema, conversationPageSchema, type Conversation } from '@chat/shared';
import { conversations as conversationsTable, conversationParticipants } from '@chat/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { useTestApp } from './support/test-app';

describe('conversations over HTTP', () => {
  const t = useTestApp();
  let alice: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  let mallory: SignedIn;

  beforeAll(async () => {
    [alice, bob, carol, mallory] = await registerUsers(t, 4, (i) => ({ displayName: ['Alice', 'Bob', 'Carol', 'Mallory'][i] }));
  });

  const create = (as: SignedIn, body: object) => t.http().post('/api/conversations').set(bearer(as)).send(body);
  const group = async (owner: SignedIn, members: SignedIn[], extra: object = {}) => {
    const res = await create(owner, { type: 'group', title: 'Team', participantIds: members.map((m) => m.auth.user.id), ...extra });
    expect(res.status).toBe(201);
    return conversationDetailSchema.parse(res.body);
  };
  const list = async (as: SignedIn, query = '') => {
    const res = await t.http().get(`/api/conversations${query}`).set(bearer(as));
    expect(res.status).toBe(200);
    return conversationPageSchema.parse(res.body);
  };

  describe('direct conversations', () => {
    it('are unique per pair: creating again, from either side, returns the same one with 200', async () => {
      const [a, b] = await registerUsers(t, 2);
      const first = await create(a, { type: 'direct', participantIds: [b.auth.user.id] });
      expect(first.status).toBe(201);
      const detail = conversationDetailSchema.parse(first.body);
      expect(detail).toMatchObject({ type: 'direct', title: null, participantCount: 2, peer: { id: b.auth.user.id, displayName: b.input.displayName.trim() } });

      const again = await create(a, { type: 'direct', participantIds: [b.auth.user.id, a.auth.user.id] });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(detail.id);
      const reverse = await create(b, { type: 'direct', participantIds: [a.auth.user.id] });
      expect(reverse.status).toBe(200);
      expect(reverse.body.id).toBe(detail.id);
      expect(reverse.body.peer.id).toBe(a.auth.user.id);
    });

    it('stay one row when both people create it at the same moment', async () => {
      const [a, b] = await registerUsers(t, 2);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? create(a, { type: 'direct', participantIds: [b.auth.user.id] }) : create(b, { type: 'direct', participantIds: [a.auth.user.id] }),
        ),
      );
      expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const { db } = dbProbe(t);
      const rows = await db.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, results[0].body.id));
      expect(rows).toHaveLength(2);
    });

    it('need exactly one other existing person', async () => {
      expect((await create(alice, { type: 'direct', participantIds: [alice.auth.user.id] })).status).toBe(400);
      expect((await create(alice, { type: 'direct', participantIds: [bob.auth.user.id, carol.auth.user.id] })).status).toBe(400);
      const unknown = randomUUID();
      const res = await create(alice, { type: 'direct', participantIds: [unknown] });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain(unknown);
    });

    it('cannot be joined by a third person', async () => {
      const res = await create(alice, { type: 'direct', participantIds: [bob.auth.user.id] });
      const join = await t.http().post(`/api/conversations/${res.body.id}/join`).set(bearer(carol));
      expect(join.status).toBe(403);
      expect((await t.http().get(`/api/conversations/${res.body.id}`).set(bearer(carol))).status).toBe(403);
    });
  });

  describe('groups', () => {
    it('make the creator owner and list every participant', async () => {
      const detail = await group(alice, [bob, carol]);
      expect(detail).toMatchObject({ type: 'group', title: 'Team', ownerId: alice.auth.user.id, role: 'owner', participantCount: 3, isPublic: false });
      expect(detail.participants.map((p) => p.user.id).sort()).toEqual([alice, bob, carol].map((u) => u.auth.user.id).sort());
      expect(JSON.stringify(detail)).not.toMatch(/email|password/i);
      const asBob = await t.http().get(`/api/conversations/${detail.id}`).set(bearer(bob));
      expect(asBob.body.role).toBe('member');
    });

    const invalidGroups: Array<[string, (bobId: string) => object]> = [
      ['no title', (bobId) => ({ type: 'group', participantIds: [bobId] })],
      ['a blank title', (bobId) => ({ type: 'group', title: '   ', participantIds: [bobId] })],
      ['a 101-character title', (bobId) => ({ type: 'group', title: 'x'.repeat(101), participantIds: [bobId] })],
      ['nobody else', () => ({ type: 'group', title: 'Solo', participantIds: [] })],
      ['only the creator', () => ({ type: 'group', title: 'Solo', participantIds: [alice.auth.user.id] })],
      ['an unknown type', (bobId) => ({ type: 'channel', title: 'x', participantIds: [bobId] })],
      ['ids that are not uuids', () => ({ type: 'group', title: 'x', participantIds: ['42'] })],
      ['ids as a string', () => ({ type: 'group', title: 'x', participantIds: 'abc' })],
      ['1001 participants', () => ({ type: 'group', title: 'x', participantIds: Array.from({ length: 1001 }, () => randomUUID()) })],
    ];

    it.each(invalidGroups)('reject %s with 400 and write nothing', async (_case, body) => {
      const { db } = dbProbe(t);
      const before = await db.$count(conversationsTable);
      const res = await create(alice, body(bob.auth.user.id));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await db.$count(conversationsTable)).toBe(before);
    });

    it('reject unknown participant ids with 400 listing them', async () => {
      const ghosts = [randomUUID(), randomUUID()];
      const res = await create(alice, { type: 'group', title: 'Ghosts', participantIds: [bob.auth.user.id, ...ghosts] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UNKNOWN_USERS');
      expect(res.body.details.map((d: { message: string }) => d.message).join()).toContain(ghosts[0]);
      expect(res.body.message).toContain(ghosts[1]);
    });

    it('can be renamed by the owner only', async () => {
      const detail = await group(alice, [bob]);
      const renamed = await t.http().patch(`/api/conversations/${detail.id}`).set(bearer(alice)).send({ title: ' Renamed ' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.title).toBe('Renamed');
      expect((await t.http().patch(`/api/conversations/${detail.id}`).set(bearer(bob)).send({ title: 'Mine' })).status).toBe(403);
      expect((await t.http().patch(`/api/conversations/${detail.id}`).set(bearer(alice)).send({})).status).toBe(400);
    });

    it('can be joined when public, not when invite-only; joining twice is harmless', async () => {
      const open = await group(alice, [bob], { isPublic: true });
      const closed = await group(alice, [bob]);
      const joined = await t.http().post(`/api/conversations/${open.id}/join`).set(bearer(carol));
      expect(joined.status).toBe(200);
      expect(joined.body.participantCount).toBe(3);
      expect((await t.http().post(`/api/conversations/${open.id}/join`).set(bearer(carol))).body.participantCount).toBe(3);
      const refused = await t.http().post(`/api/conversations/${closed.id}/join`).set(bearer(carol));
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('JOIN_NOT_ALLOWED');
    });

    it('let the owner add and remove people; a removed person loses access', async () => {
      const detail = await group(alice, [bob]);
      const added = await t
        .http()
        .post(`/api/conversations/${detail.id}/participants`)
        .set(bearer(alice))
        .send({ userIds: [carol.auth.user.id] });
      expect(added.status).toBe(200);
      expect(added.body.participantCount).toBe(3);
      expect((await t.http().get(`/api/conversations/${detail.id}`).set(bearer(carol))).status).toBe(200);

      expect(
        (
          await t
            .http()
            .post(`/api/conversations/${detail.id}/participants`)
            .set(bearer(bob))
            .send({ userIds: [mallory.auth.user.id] })
        ).status,
      ).toBe(403);
      expect(
        (
          await t
            .http()
            .post(`/api/conversations/${detail.id}/participants`)
            .set(bearer(alice))
            .send({ userIds: [randomUUID()] })
        ).status,
      ).toBe(400);

      expect((await t.http().delete(`/api/conversations/${detail.id}/participants/${carol.auth.user.id}`).set(bearer(bob))).status).toBe(403);
      expect((await t.http().delete(`/api/conversations/${detail.id}/participants/${carol.auth.user.id}`).set(bearer(alice))).status).toBe(204);
      expect((await t.http().get(`/api/conversations/${detail.id}`).set(bearer(carol))).status).toBe(403);
      expect((await list(carol)).conversations.map((c) => c.id)).not.toContain(detail.id);
      expect((await t.http().delete(`/api/conversations/${detail.id}/participants/${alice.auth.user.id}`).set(bearer(alice))).status).toBe(400);
      expect((await t.http().delete(`/api/conversations/${detail.id}/participants/${mallory.auth.user.id}`).set(bearer(alice))).status).toBe(404);
    });
  });

  describe('leave and delete', () => {
    it('leaving hides the conversation from the leaver and, for an owner, hands ownership to the longest-standing member', async () => {
      const detail = await group(alice, [bob, carol]);
      expect((await t.http().delete(`/api/conversations/${detail.id}/leave`).set(bearer(alice))).status).toBe(204);
      expect((await t.http().get(`/api/conversations/${detail.id}`).set(bearer(alice))).status).toBe(403);
      expect((await list(alice)).conversations.map((c) => c.id)).not.toContain(detail.id);

      const asBob = await t.http().get(`/api/conversations/${detail.id}`).set(bearer(bob));
      expect(asBob.body.participantCount).toBe(2);
      // Bob and Carol joined in the same statement; the tie breaks on user id, so check the rule, not a name.
      const owner = asBob.body.participants.find((p: { role: string }) => p.role === 'owner');
      expect(asBob.body.ownerId).toBe(owner.user.id);
      expect([bob.auth.user.id, carol.auth.user.id]).toContain(owner.user.id);
      expect((await t.http().delete(`/api/conversations/${detail.id}/leave`).set(bearer(alice))).status).toBe(403);
    });

    it('hands ownership to whoever joined first', async () => {
      const detail = await group(alice, [bob]);
      await t
        .http()
        .post(`/api/conversations/${detail.id}/participants`)
        .set(bearer(alice))
        .send({ userIds: [carol.auth.user.id] });
      await t.http().delete(`/api/conversations/${detail.id}/leave`).set(bearer(alice));
      const asCarol = await t.http().get(`/api/conversations/${detail.id}`).set(bearer(carol));
      expect(asCarol.body.ownerId).toBe(bob.auth.user.id);
    });

    it('the last member leaving ends a group: it leaves every list and its messages are closed to former members', async () => {
      const [a, b, c, passerby] = await registerUsers(t, 4);
      const detail = await group(a, [b, c], { isPublic: true });
      const said = await t
        .http()
        .post(`/api/conversations/${detail.id}/messages`)
        .set(bearer(b))
        .send({ content: 'before we go', clientMessageId: randomUUID() });
      expect(said.status).toBe(201);
      for (const user of [a, b, c]) expect((await list(user)).conversations.map((x) => x.id)).toContain(detail.id);

      for (const user of [b, a, c]) expect((await t.http().delete(`/api/conversations/${detail.id}/leave`).set(bearer(user))).status).toBe(204);

      for (const user of [a, b, c, passerby]) {
        const name = user.input.displayName;
        expect(
          (await list(user)).conversations.map((x) => x.id),
          name,
        ).not.toContain(detail.id);
        expect((await t.http().get(`/api/conversations/${detail.id}`).set(bearer(user))).status, name).toBe(404);
        expect((await t.http().get(`/api/conversations/${detail.id}/messages`).set(bearer(user))).status, name).toBe(404);
        expect((await t.http().get(`/api/messages/${said.body.id}/receipts`).set(bearer(user))).status, name).toBe(404);
        expect((await t.http().post(`/api/conversations/${detail.id}/read`).set(bearer(user)).send({ messageId: said.body.id })).status, name).toBe(404);
        // It was public, but an ended group cannot be joined again to reach its history.
        expect((await t.http().post(`/api/conversations/${detail.id}/join`).set(bearer(user))).status, name).toBe(404);
      }
      const { db } = dbProbe(t);
      const [row] = await db.select().from(conversationsTable).where(eq(conversationsTable.id, detail.id));
      expect(row).toMatchObject({ participantCount: 0, ownerId: null });
      expect(row?.deletedAt).toBeInstanceOf(Date);
    });

    it('delete is for the owner only, removes it for everyone, and keeps the rows', async () => {
      const detail = await group(alice, [bob]);
      expect((await t.http().delete(`/api/conversations/${detail.id}`).set(bearer(bob))).status).toBe(403);
      expect((await t.http().delete(`/api/conversations/${detail.id}`).set(bearer(alice))).status).toBe(204);
      for (const user of [alice, bob]) {
        expect((await t.http().get(`/api/conversations/${detail.id}`).set(bearer(user))).status).toBe(404);
        expect((await list(user)).conversations.map((c) => c.id)).not.toContain(detail.id);
      }
      const { db } = dbProbe(t);
      const [row] = await db.select().from(conversationsTable).where(eq(conversationsTable.id, detail.id));
      expect(row?.deletedAt).toBeInstanceOf(Date);
    });

    it('a direct conversation can be left but not deleted, and creating it again brings the leaver back', async () => {
      const [a, b] = await registerUsers(t, 2);
      const dm = (await create(a, { type: 'direct', participantIds: [b.auth.user.id] })).body;
      const refused = await t.http().delete(`/api/conversations/${dm.id}`).set(bearer(a));
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('DIRECT_NOT_DELETABLE');
      expect((await t.http().delete(`/api/conversations/${dm.id}/leave`).set(bearer(a))).status).toBe(204);
      expect((await list(a)).conversations.map((c) => c.id)).not.toContain(dm.id);
      expect((await list(b)).conversations.map((c) => c.id)).toContain(dm.id);
      const back = await create(a, { type: 'direct', participantIds: [b.auth.user.id] });
      expect(back.status).toBe(200);
      expect(back.body.id).toBe(dm.id);
      expect((await list(a)).conversations.map((c) => c.id)).toContain(dm.id);
    });
  });

  describe('authorization matrix', () => {
    const endpoints = (id: string, someone: string) =>
      [
        ['GET', `/api/conversations/${id}`, undefined],
        ['PATCH', `/api/conversations/${id}`, { title: 'x' }],
        ['DELETE', `/api/conversations/${id}`, undefined],
        ['DELETE', `/api/conversations/${id}/leave`, undefined],
        ['POST', `/api/conversations/${id}/participants`, { userIds: [someone] }],
        ['DELETE', `/api/conversations/${id}/participants/${someone}`, undefined],
      ] as const;

    const call = (as: SignedIn, [method, path, body]: readonly [string, string, object | undefined]) => {
      const req = t.http()[method.toLowerCase() as 'get'](path).set(bearer(as));
      return body ? req.send(body) : req;
    };

    it('answers 403 to a non-participant and to someone who left, on every endpoint, and changes nothing', async () => {
      const detail = await group(alice, [bob, carol]);
      await t.http().delete(`/api/conversations/${detail.id}/leave`).set(bearer(carol));
      for (const outsider of [mallory, carol]) {
        for (const endpoint of endpoints(detail.id, bob.auth.user.id)) {
          const res = await call(outsider, endpoint);
          expect(res.status, `${outsider.input.displayName} ${endpoint[0]} ${endpoint[1]}`).toBe(403);
          expect(res.body.statusCode).toBe(403);
        }
      }
      const after = await t.http().get(`/api/conversations/${detail.id}`).set(bearer(alice));
      expect(after.body).toMatchObject({ title: 'Team', participantCount: 2, ownerId: alice.auth.user.id });
    });

    it('answers 404 for a deleted or unknown conversation on every endpoint, members included', async () => {
      const detail = await group(alice, [bob]);
      await t.http().delete(`/api/conversations/${detail.id}`).set(bearer(alice));
      for (const id of [detail.id, randomUUID()]) {
        for (const endpoint of [...endpoints(id, bob.auth.user.id), ['POST', `/api/conversations/${id}/join`, undefined] as const]) {
          expect((await call(alice, endpoint)).status, `${endpoint[0]} ${endpoint[1]}`).toBe(404);
          expect((await call(mallory, endpoint)).status).toBe(404);
        }
      }
    });

    it('answers 400 for ids that are not uuids and 401 without a token', async () => {
      for (const endpoint of endpoints('not-a-uuid', 'also-not')) {
        expect((await call(alice, endpoint)).status, `${endpoint[0]} ${endpoint[1]}`).toBe(400);
      }
      expect((await t.http().get('/api/conversations')).status).toBe(401);
      expect(
        (
          await t
            .http()
            .post('/api/conversations')
            .send({ type: 'direct', participantIds: [bob.auth.user.id] })
        ).status,
      ).toBe(401);
    });

    it('ignores a client-supplied ownerId, role or id', async () => {
      const res = await create(mallory, {
        type: 'group',
        title: 'Mine',
        participantIds: [bob.auth.user.id],
        ownerId: alice.auth.user.id,
        role: 'owner',
        id: randomUUID(),
      });
      expect(res.status).toBe(201);
      expect(res.body.ownerId).toBe(mallory.auth.user.id);
      const asBob = await t.http().get(`/api/conversations/${res.body.id}`).set(bearer(bob));
      expect(asBob.body.role).toBe('member');
    });
  });

  describe('listing', () => {
    let walker: SignedIn;
    let ids: string[];

    beforeAll(async () => {
      walker = await registerUser(t, { displayName: 'Walker' });
      const { db } = dbProbe(t);
      // 250 conversations with distinct activity times, made directly for speed.
      const rows = await db
        .insert(conversationsTable)
        .values(
          Array.from({ length: 250 }, (_, i) => ({
            type: 'group' as const,
            title: `Room ${i}`,
            ownerId: walker.auth.user.id,
            participantCount: 1,
            lastActivityAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
          })),
        )
        .returning({ id: conversationsTable.id, lastActivityAt: conversationsTable.lastActivityAt });
      ids = rows.map((r) => r.id);
      await db
        .insert(conversationParticipants)
        .values(rows.map((row) => ({ conversationId: row.id, userId: walker.auth.user.id, role: 'owner' as const, lastActivityAt: row.lastActivityAt })));
    });

    const walk = async (limit: number, during?: (page: number) => Promise<void>) => {
      const seen: Conversation[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(walker, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.conversations);
        expect(page.conversations.length).toBeLessThanOrEqual(limit);
        expect(page.hasMore).toBe(page.nextCursor !== null);
        cursor = page.nextCursor;
        pages++;
        if (during) await during(pages);
      } while (cursor);
      return { seen, pages };
    };

    it('pages through 250 conversations newest first with no duplicates and nothing skipped', async () => {
      const { seen, pages } = await walk(100);
      expect(pages).toBe(3);
      expect(seen.map((c) => c.id)).toEqual([...ids].reverse());
      const defaults = await list(walker);
      expect(defaults.conversations).toHaveLength(50);
    });

    it('never returns a conversation twice nor skips one that did not move while others get new activity', async () => {
      const { db } = dbProbe(t);
      const moved = new Set<string>();
      const { seen } = await walk(30, async () => {
        // Activity lands on conversations still ahead in the walk and ones already passed.
        const picks = [ids[Math.floor(Math.random() * ids.length)], ids[Math.floor(Math.random() * ids.length)]];
        picks.forEach((id) => moved.add(id));
        // What a new message does to the sort key: the conversation's activity time moves.
        await db
          .update(conversationsTable)
          .set({ lastActivityAt: sql`now()` })
          .where(inArray(conversationsTable.id, picks));
      });
      const seenIds = seen.map((c) => c.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const id of ids) if (!moved.has(id)) expect(seenIds).toContain(id);
    });

    it('describes each conversation: participant count, last message, unread count', async () => {
      const detail = await group(alice, [bob, carol]);
      const { db } = dbProbe(t);
      // Five messages exist and Bob has read two of them.
      await db.update(conversationsTable).set({ lastSeq: 5 }).where(eq(conversationsTable.id, detail.id));
      await db
        .update(conversationParticipants)
        .set({ lastReadSeq: 2 })
        .where(sql`${conversationParticipants.conversationId} = ${detail.id} and ${conversationParticipants.userId} = ${bob.auth.user.id}`);
      const item = (await list(bob)).conversations.find((c) => c.id === detail.id)!;
      expect(item).toMatchObject({ participantCount: 3, unreadCount: 3, lastMessage: null, title: 'Team' });
      const fresh = (await list(carol)).conversations.find((c) => c.id === detail.id)!;
      expect(fresh.unreadCount).toBe(5);
    });

    it.each(['0', '101', '-1', 'abc', '1.5', ''])('rejects limit=%s with 400', async (limit) => {
      const res = await t.http().get(`/api/conversations?limit=${limit}`).set(bearer(walker));
      expect(res.status).toBe(400);
      expect(res.body.details[0].path).toBe('limit');
    });

    it('rejects garbage and tampered cursors with 400', async () => {
      const page = await list(walker, '?limit=10');
      const [body, sig] = page.nextCursor!.split('.');
      const decoded = JSON.parse(Buffer.from(body, 'base64url').toString());
      const tampered = `${Buffer.from(JSON.stringify({ ...decoded, id: randomUUID() })).toString('base64url')}.${sig}`;
      for (const cursor of ['garbage', 'e30', tampered, `${body}.`, `${page.nextCursor}x`, '%00']) {
        const res = await t
          .http()
          .get(`/api/conversations?cursor=${encodeURIComponent(cursor)}`)
          .set(bearer(walker));
        expect(res.status, cursor).toBe(400);
      }
    });
  });

  describe('people search', () => {
    it('finds by display-name prefix or exact email, never the caller, at most 20, without private fields', async () => {
      const tag = `Zed${randomUUID().slice(0, 4)}`;
      const people = await registerUsers(t, 22, (i) => ({ displayName: `${tag} ${i}` }));
      const res = await t.http().get(`/api/users/search?q=${tag.toLowerCase()}`).set(bearer(people[0]));
      expect(res.status).toBe(200);
      expect(res.body.users).toHaveLength(20);
      expect(res.body.users.map((u: { id: string }) => u.id)).not.toContain(people[0].auth.user.id);
      expect(Object.keys(res.body.users[0]).sort()).toEqual(['displayName', 'id']);

      const byEmail = await t
        .http()
        .get(`/api/users/search?q=${encodeURIComponent(people[5].input.email.toUpperCase())}`)
        .set(bearer(alice));
      expect(byEmail.body.users.map((u: { id: string }) => u.id)).toEqual([people[5].auth.user.id]);
      const partialEmail = await t
        .http()
        .get(`/api/users/search?q=${encodeURIComponent(people[5].input.email.slice(0, 8))}`)
        .set(bearer(alice));
      expect(partialEmail.body.users).toEqual([]);
      const wildcard = await t.http().get('/api/users/search?q=%25').set(bearer(alice));
      expect(wildcard.body.users).toEqual([]);
    });

    it('rejects a missing or blank query with 400', async () => {
      expect((await t.http().get('/api/users/search').set(bearer(alice))).status).toBe(400);
      expect((await t.http().get('/api/users/search?q=%20%20').set(bearer(alice))).status).toBe(400);
      expect((await t.http().get('/api/users/search?q=a')).status).toBe(401);
    });
  });

  it('documents every conversation endpoint in Swagger', async () => {
    const res = await t.http().get('/api/docs-json');
    for (const path of [
      '/api/conversations',
      '/api/conversations/{id}',
      '/api/conversations/{id}/join',
      '/api/conversations/{id}/leave',
      '/api/conversations/{id}/participants',
      '/api/conversations/{id}/participants/{userId}',
      '/api/users/search',
    ]) {
      expect(res.body.paths, path).toHaveProperty([path]);
    }
    expect(res.body.paths['/api/conversations/{id}'].get.responses).toHaveProperty(['403']);
  });
});
