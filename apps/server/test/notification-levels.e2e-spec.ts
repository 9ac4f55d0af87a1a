import { randomUUID } from 'node:crypto';
import { conversationParticipants } from '@chat/db';
import {
  type ConversationDetail,
  type ConversationNotifications,
  conversationPageSchema,
  type Message,
  messagePageSchema,
  type UserSettings,
} from '@chat/shared';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { NotificationPolicy, type NotifyTarget } from '../src/modules/notifications/notification.policy';
import { bearer, createDirect, createGroup, registerGroup, registerUsers, type SignedIn } from './support/builders';
import { addSilentMembers, dbProbe } from './support/db-probe';
import { collect } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

const HOUR = 60 * 60 * 1000;
const DEFAULT_STATE: ConversationNotifications = { level: 'all', custom: false, mutedUntil: null };

describe('notification levels', () => {
  const suite = useSocketSuite({ MESSAGE_RATE_LIMIT: '100000' });
  const http = () => suite.app.http();
  const idOf = (user: SignedIn) => user.auth.user.id;
  const policy = () => suite.app.app.get(NotificationPolicy);

  const detail = async (user: SignedIn, conversationId: string) =>
    ((await http().get(`/api/conversations/${conversationId}`).set(bearer(user)).expect(200)).body as ConversationDetail).notifications;
  const listed = async (user: SignedIn, conversationId: string) =>
    conversationPageSchema
      .parse((await http().get('/api/conversations?limit=100').set(bearer(user)).expect(200)).body)
      .conversations.find((c) => c.id === conversationId)!.notifications;
  /** The state as both the detail and the list show it (they must agree). */
  const stateOf = async (user: SignedIn, conversationId: string) => {
    const [fromDetail, fromList] = await Promise.all([detail(user, conversationId), listed(user, conversationId)]);
    expect(fromList).toEqual(fromDetail);
    return fromDetail;
  };
  const patch = (user: SignedIn, conversationId: string, body: Record<string, unknown>) =>
    http().patch(`/api/conversations/${conversationId}/notifications`).set(bearer(user)).send(body);
  const setLevel = async (user: SignedIn, conversationId: string, body: Record<string, unknown>) => {
    const res = await patch(user, conversationId, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as ConversationNotifications;
  };
  const settings = async (user: SignedIn, body: Record<string, unknown>) => {
    const res = await http().patch('/api/users/me/settings').set(bearer(user)).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as UserSettings;
  };
  const say = async (user: SignedIn, conversationId: string, body: Record<string, unknown> = {}) => {
    const res = await http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(user))
      .send({ content: 'hello', clientMessageId: randomUUID(), ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Message;
  };
  const mention = (...people: SignedIn[]) => ({ mentions: { userIds: people.map(idOf) } });
  const everyone = { mentions: { userIds: [], everyone: true } };
  const targets = async (message: Message) =>
    [...(await policy().targetsOf(message))].sort((a, b) => a.userId.localeCompare(b.userId)) satisfies NotifyTarget[];
  const target = (user: SignedIn | string, fields: Partial<NotifyTarget> = {}): NotifyTarget => ({
    userId: typeof user === 'string' ? user : idOf(user),
    urgent: false,
    preview: true,
    ...fields,
  });
  const expected = (...list: NotifyTarget[]) => list.sort((a, b) => a.userId.localeCompare(b.userId));
  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

  /** What a refused change must leave as it was: the membership's own columns. */
  async function stored(conversationId: string, user: SignedIn) {
    const [row] = await dbProbe(suite.app)
      .db.select({ level: conversationParticipants.notificationLevel, mutedUntil: conversationParticipants.mutedUntil })
      .from(conversationParticipants)
      .where(and(eq(conversationParticipants.conversationId, conversationId), eq(conversationParticipants.userId, idOf(user))));
    return row;
  }

  it('defaults: direct all, a group of 3 all, a group of 10 or more mentions', async () => {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const direct = await createDirect<{ id: string }>(suite.app, ann, ben);
    expect(await stateOf(ann, direct.id)).toEqual(DEFAULT_STATE);
    expect(await stateOf(ben, direct.id)).toEqual(DEFAULT_STATE);

    const { people, id } = await registerGroup(suite.app, 3);
    expect(await stateOf(people[1], id)).toEqual(DEFAULT_STATE);
    await addSilentMembers(suite.app, id, 6);
    expect(await stateOf(people[1], id), '9 participants').toEqual(DEFAULT_STATE);
    await addSilentMembers(suite.app, id, 1);
    expect(await stateOf(people[1], id), '10 participants').toEqual({ level: 'mentions', custom: false, mutedUntil: null });
  });

  it('PATCH sets the level and the mute, keeps the mute when it is left out, and goes back to the default; every device of the user is told', async () => {
    const { people, id } = await registerGroup(suite.app, 3);
    const [ann, ben] = people;
    const [annTab1, annTab2, benSocket] = await Promise.all([suite.open(ann), suite.open(ann), suite.open(ben)]);
    const heard = [collect(annTab1, 'conversation:notifications'), collect(annTab2, 'conversation:notifications')];
    const benHeard = collect(benSocket, 'conversation:notifications');

    expect(await setLevel(ann, id, { level: 'none' })).toEqual({ level: 'none', custom: true, mutedUntil: null });
    expect(await stateOf(ann, id)).toEqual({ level: 'none', custom: true, mutedUntil: null });
    expect(await stateOf(ben, id), "someone else's level is their own").toEqual(DEFAULT_STATE);

    const until = inFuture(HOUR);
    const muted = { level: 'mentions', custom: true, mutedUntil: until };
    expect(await setLevel(ann, id, { level: 'mentions', mutedUntil: until })).toEqual(muted);
    expect(await stateOf(ann, id)).toEqual(muted);
    expect(await setLevel(ann, id, { level: 'all' }), 'mutedUntil left out keeps the mute').toEqual({ ...muted, level: 'all' });

    expect(await setLevel(ann, id, { level: 'default', mutedUntil: null })).toEqual(DEFAULT_STATE);
    expect(await stateOf(ann, id)).toEqual(DEFAULT_STATE);

    for (const tab of heard) {
      const events = await tab.waitFor(4);
      expect(events.map((e) => e.conversationId)).toEqual([id, id, id, id]);
      expect(events.map((e) => e.notifications)).toEqual([{ level: 'none', custom: true, mutedUntil: null }, muted, { ...muted, level: 'all' }, DEFAULT_STATE]);
    }
    expect(benHeard.items).toEqual([]);
  });

  it('a mute that has ended reads as not muted', async () => {
    const { people, id } = await registerGroup(suite.app, 3);
    const ben = people[1];
    await setLevel(ben, id, { level: 'all', mutedUntil: inFuture(HOUR) });
    await dbProbe(suite.app)
      .db.update(conversationParticipants)
      .set({ mutedUntil: new Date(Date.now() - 1000) })
      .where(and(eq(conversationParticipants.conversationId, id), eq(conversationParticipants.userId, idOf(ben))));
    expect(await stateOf(ben, id)).toEqual({ level: 'all', custom: true, mutedUntil: null });
  });

  it('refuses a bad level, a mute in the past or over a year ahead, a non-participant and an unknown conversation, changing nothing', async () => {
    const { people, id } = await registerGroup(suite.app, 3);
    const [ann] = people;
    const [outsider] = await registerUsers(suite.app, 1);
    const until = inFuture(HOUR);
    await setLevel(ann, id, { level: 'none', mutedUntil: until });
    const before = await stored(id, ann);

    const refusals: Array<[string, SignedIn, string, Record<string, unknown>, number]> = [
      ['unknown level', ann, id, { level: 'loud' }, 400],
      ['no level', ann, id, { mutedUntil: null }, 400],
      ['mute in the past', ann, id, { level: 'all', mutedUntil: new Date(Date.now() - HOUR).toISOString() }, 400],
      ['mute over a year ahead', ann, id, { level: 'all', mutedUntil: inFuture(400 * 24 * HOUR) }, 400],
      ['mute not a date', ann, id, { level: 'all', mutedUntil: 'tomorrow' }, 400],
      ['not a participant', outsider, id, { level: 'all' }, 403],
      ['unknown conversation', ann, randomUUID(), { level: 'all' }, 404],
      ['not a uuid', ann, 'nope', { level: 'all' }, 400],
    ];
    for (const [name, user, conversationId, body, status] of refusals) {
      const res = await patch(user, conversationId, body);
      expect(res.status, name).toBe(status);
      expect(res.body, name).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    }
    expect(await stored(id, ann)).toEqual(before);
    expect(await stateOf(ann, id)).toEqual({ level: 'none', custom: true, mutedUntil: until });
    expect(await stored(id, outsider)).toBeUndefined();
  });

  it("changing the user's defaults changes every conversation without a level of its own", async () => {
    const { people, id: small } = await registerGroup(suite.app, 3);
    const [ann, ben] = people;
    const large = (await createGroup<{ id: string }>(suite.app, ann, [ben], { title: 'Large' })).id;
    await addSilentMembers(suite.app, large, 8);
    const direct = (await createDirect<{ id: string }>(suite.app, ben, ann)).id;
    const custom = (await createGroup<{ id: string }>(suite.app, ann, [ben], { title: 'Custom' })).id;
    await setLevel(ben, custom, { level: 'all' });

    const saved = await settings(ben, { notificationDefaults: { group: 'none', largeGroup: 'all' }, pushPreview: false });
    expect(saved).toMatchObject({ notificationDefaults: { direct: 'all', group: 'none', largeGroup: 'all' }, pushPreview: false });
    expect((await http().get('/api/users/me/settings').set(bearer(ben)).expect(200)).body).toEqual(saved);

    expect((await stateOf(ben, small)).level).toBe('none');
    expect((await stateOf(ben, large)).level).toBe('all');
    expect((await stateOf(ben, direct)).level).toBe('all');
    expect(await stateOf(ben, custom)).toEqual({ level: 'all', custom: true, mutedUntil: null });
    expect((await stateOf(ann, small)).level, "another user's defaults are theirs").toBe('all');

    await settings(ben, { notificationDefaults: { direct: 'mentions' } });
    expect((await stateOf(ben, direct)).level).toBe('mentions');
    expect((await stateOf(ben, small)).level, 'a partial change keeps the other defaults').toBe('none');

    for (const notificationDefaults of [{ group: 'loud' }, {}]) {
      const refused = await http().patch('/api/users/me/settings').set(bearer(ben)).send({ notificationDefaults });
      expect(refused.status, JSON.stringify(notificationDefaults)).toBe(400);
    }
    expect((await stateOf(ben, small)).level).toBe('none');
  });

  it('documents the endpoint in Swagger', async () => {
    const doc = (await http().get('/api/docs-json')).body;
    expect(doc.paths['/api/conversations/{id}/notifications']).toHaveProperty('patch');
  });

  describe('NotificationPolicy.targetsOf', () => {
    it('follows each level, mentions, mutes and membership; never the sender; urgent for mentions', async () => {
      const people = await registerUsers(suite.app, 6);
      const [ann, ben, cat, dan, eve, gus] = people;
      const { id } = await createGroup<{ id: string }>(suite.app, ann, [ben, cat, dan, eve, gus], { title: 'Levels' });
      await setLevel(cat, id, { level: 'mentions' });
      await setLevel(dan, id, { level: 'none' });
      await setLevel(eve, id, { level: 'all', mutedUntil: inFuture(HOUR) });
      await http().delete(`/api/conversations/${id}/leave`).set(bearer(gus)).expect(204);

      expect(await targets(await say(ann, id)), 'plain message').toEqual(expected(target(ben)));
      expect(await targets(await say(ann, id, mention(cat))), 'mentions cat').toEqual(expected(target(ben), target(cat, { urgent: true })));
      expect(await targets(await say(ann, id, mention(ben))), 'mentions ben').toEqual(expected(target(ben, { urgent: true })));
      expect(await targets(await say(ann, id, mention(dan))), 'none: not even a mention').toEqual(expected(target(ben)));
      expect(await targets(await say(ann, id, mention(eve))), 'muted: not even a mention').toEqual(expected(target(ben)));
      expect(await targets(await say(ann, id, everyone)), 'everyone').toEqual(expected(target(ben, { urgent: true }), target(cat, { urgent: true })));
      expect(await targets(await say(ann, id, mention(ann))), 'the sender, even named').toEqual(expected(target(ben)));
      expect(await targets(await say(ben, id)), 'another sender').toEqual(expected(target(ann)));

      // The mute ran out: eve hears again, at her level.
      await dbProbe(suite.app)
        .db.update(conversationParticipants)
        .set({ mutedUntil: new Date(Date.now() - 1000) })
        .where(and(eq(conversationParticipants.conversationId, id), eq(conversationParticipants.userId, idOf(eve))));
      expect(await targets(await say(ann, id)), 'expired mute').toEqual(expected(target(ben), target(eve)));

      await settings(ben, { pushPreview: false });
      expect(await targets(await say(ann, id)), 'preview off').toEqual(expected(target(ben, { preview: false }), target(eve)));

      // Asked about some members only (those a channel can reach), the same rules apply to them alone.
      const plain = await say(ann, id);
      const among = async (...users: SignedIn[]) => (await policy().targetsOf(plain, users.map(idOf))).map((found) => found.userId).sort();
      expect(await among(eve), 'among eve').toEqual([idOf(eve)]);
      expect(await among(cat, dan, gus), 'among those it does not notify').toEqual([]);
      expect(await among(), 'among nobody').toEqual([]);
    });

    it('a thread reply notifies, at level all, only those who follow the thread; a mention still reaches anyone; @everyone means the followers', async () => {
      const [ann, ben, cat, dan] = await registerUsers(suite.app, 4);
      const { id } = await createGroup<{ id: string }>(suite.app, ann, [ben, cat, dan], { title: 'Threads' });
      await setLevel(dan, id, { level: 'mentions' });
      const root = await say(ann, id);
      const inThread = (body: Record<string, unknown> = {}) => ({ threadRootId: root.id, ...body });

      // Ben replies: Ann follows as the root's author; Cat and Dan follow nothing.
      expect(await targets(await say(ben, id, inThread())), 'first reply').toEqual(expected(target(ann)));
      expect(await targets(await say(ben, id, inThread(everyone))), '@everyone in a reply').toEqual(expected(target(ann, { urgent: true })));
      expect(await targets(await say(ann, id, inThread())), 'the author replies').toEqual(expected(target(ben)));
      expect(await targets(await say(ann, id, inThread(mention(cat)))), 'a mention reaches a non-follower').toEqual(
        expected(target(ben), target(cat, { urgent: true })),
      );
      // Mentioned, Cat now follows: the next plain reply reaches her too.
      expect(await targets(await say(ben, id, inThread())), 'after the mention').toEqual(expected(target(ann), target(cat)));
      expect(await targets(await say(ben, id)), 'the main list is unchanged').toEqual(expected(target(ann), target(cat)));
    });

    it('a direct message is urgent; a muted or silenced direct chat notifies nobody', async () => {
      const [ann, ben] = await registerUsers(suite.app, 2);
      const { id } = await createDirect<{ id: string }>(suite.app, ann, ben);
      expect(await targets(await say(ann, id))).toEqual([target(ben, { urgent: true })]);
      expect(await targets(await say(ben, id))).toEqual([target(ann, { urgent: true })]);

      await setLevel(ben, id, { level: 'all', mutedUntil: inFuture(HOUR) });
      expect(await targets(await say(ann, id)), 'muted').toEqual([]);
      await setLevel(ben, id, { level: 'default', mutedUntil: null });
      await settings(ben, { notificationDefaults: { direct: 'none' } });
      expect(await targets(await say(ann, id)), 'default none').toEqual([]);
    });

    it("follows the defaults of a large group's members and never notifies of a system message", async () => {
      const { people, id } = await registerGroup(suite.app, 2);
      const [ann, ben] = people;
      const quiet = await addSilentMembers(suite.app, id, 8);

      expect(await targets(await say(ann, id)), 'large group: mentions by default').toEqual([]);
      expect(await targets(await say(ann, id, everyone)), 'everyone reaches the whole room').toEqual(
        expected(...[idOf(ben), ...quiet].map((userId) => target(userId, { urgent: true }))),
      );

      await http().patch(`/api/conversations/${id}`).set(bearer(ann)).send({ title: 'Renamed' }).expect(200);
      const page = messagePageSchema.parse((await http().get(`/api/conversations/${id}/messages`).set(bearer(ben)).expect(200)).body);
      const system = page.messages.at(-1)!;
      expect(system.contentType).toBe('system');
      await setLevel(ben, id, { level: 'all' });
      expect(await targets(system)).toEqual([]);
    });
  });
});
