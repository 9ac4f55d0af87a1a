import { describe, expect, it } from 'vitest';
import { LocalClusterBroadcast } from '../../infra/cluster/cluster-broadcast';
import { PushAudience } from './push-audience';
import type { PushSubscriptionRepository } from './push-subscription.repository';

/** A repository whose answers the test releases by hand, counting the queries. */
function fakeRepository(members: Record<string, string[]>) {
  const pending: Array<() => void> = [];
  let queries = 0;
  const repository = {
    subscribedMembersOf: (conversationIds: string[]) => {
      queries += 1;
      const answer = new Map(conversationIds.map((id) => [id, new Set(members[id] ?? [])]));
      return new Promise<Map<string, Set<string>>>((resolve) => pending.push(() => resolve(answer)));
    },
  } as unknown as PushSubscriptionRepository;
  return { repository, members, queries: () => queries, release: () => pending.splice(0).forEach((resolve) => resolve()) };
}

async function answered<T>(promise: Promise<T>, release: () => void): Promise<T> {
  release();
  return promise;
}

describe('PushAudience', () => {
  it('asks the database once per room, leaves the sender out, and asks again after a change in that room', async () => {
    const db = fakeRepository({ room: ['ann', 'ben'] });
    const audience = new PushAudience(db.repository, new LocalClusterBroadcast());

    expect([...(await answered(audience.subscribedMembers('room', 'ann'), db.release))]).toEqual(['ben']);
    expect([...(await audience.subscribedMembers('room', 'ben'))]).toEqual(['ann']);
    expect(db.queries()).toBe(1);

    db.members.room = ['ann', 'ben', 'cat'];
    audience.onMembersAdded({ conversationId: 'room', addedUserIds: ['cat'], existingUserIds: ['ann', 'ben'] });
    expect([...(await answered(audience.subscribedMembers('room', 'ann'), db.release))]).toEqual(['ben', 'cat']);
    expect(db.queries()).toBe(2);
  });

  it('forgets every room when anyone subscribes, and keeps no answer read before the change', async () => {
    const db = fakeRepository({ one: [], two: [] });
    const broadcast = new LocalClusterBroadcast();
    const audience = new PushAudience(db.repository, broadcast);
    await answered(audience.subscribedMembers('one', 'ann'), db.release);

    // A query is in flight when the change lands: its (older) answer serves this call only.
    const inFlight = audience.subscribedMembers('two', 'ann');
    db.members.one = ['ben'];
    db.members.two = ['ben'];
    await audience.subscriptionsChanged();
    db.release();
    await inFlight;

    expect([...(await answered(audience.subscribedMembers('one', 'ann'), db.release))]).toEqual(['ben']);
    expect([...(await answered(audience.subscribedMembers('two', 'ann'), db.release))]).toEqual(['ben']);
    expect(db.queries()).toBe(4);
  });

  it('asks about rooms it does not remember together while a lookup is running', async () => {
    const db = fakeRepository({ a: ['ann'], b: ['ben'], c: [], d: ['dan'] });
    const audience = new PushAudience(db.repository, new LocalClusterBroadcast());

    const asked = ['a', 'b', 'c', 'd'].map((room) => audience.subscribedMembers(room, 'nobody'));
    db.release();
    await new Promise((resolve) => setImmediate(resolve));
    db.release();
    const answers = await Promise.all(asked);

    expect(answers.map((members) => [...members])).toEqual([['ann'], ['ben'], [], ['dan']]);
    expect(db.queries()).toBe(3);
  });
});
