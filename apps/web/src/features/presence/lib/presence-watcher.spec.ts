import type { Presence } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { PresenceWatcher } from './presence-watcher';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b1';
const C = '00000000-0000-4000-8000-0000000000c1';
const D = '00000000-0000-4000-8000-0000000000d1';

const online = (userId: string): Presence => ({ userId, status: 'online', lastActivity: '2025-05-14T12:00:00.000Z', lastSeenAt: null });

interface Call<T> {
  userIds: string[];
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/** A socket whose acks the test answers, and a clock that runs scheduled flushes on `tick()`. */
function setup(max?: number) {
  const subscribes: Call<Presence[]>[] = [];
  const unsubscribes: Call<void>[] = [];
  const stored: Presence[] = [];
  const forgotten: string[] = [];
  const pending: Array<() => void> = [];
  const connection = { ready: true };
  const watcher = new PresenceWatcher(
    {
      isReady: () => connection.ready,
      subscribe: (userIds) => new Promise((resolve, reject) => subscribes.push({ userIds, resolve, reject })),
      unsubscribe: (userIds) => new Promise((resolve, reject) => unsubscribes.push({ userIds, resolve, reject })),
      store: (presences) => stored.push(...presences),
      forget: (userIds) => forgotten.push(...userIds),
      schedule: (flush) => pending.push(flush),
    },
    max,
  );
  const tick = async () => {
    for (const flush of pending.splice(0)) flush();
    // Let the queued batch reach the socket.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { watcher, subscribes, unsubscribes, stored, forgotten, connection, tick };
}

describe('presence watcher', () => {
  it('sends the changes of one tick as one subscribe and one unsubscribe, and shows the ack', async () => {
    const { watcher, subscribes, unsubscribes, stored, forgotten, tick } = setup();
    watcher.show([A, B]); // sidebar
    watcher.show([B, C]); // header
    await tick();
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([[A, B, C]]);
    subscribes[0]?.resolve([online(A), online(B), online(C)]);
    await tick();
    expect(stored.map(({ userId }) => userId)).toEqual([A, B, C]);

    watcher.hide([B, C]); // the conversation closes...
    watcher.show([B, D]); // ...another opens
    watcher.hide([A]);
    await tick();
    expect(unsubscribes.map(({ userIds }) => [...userIds].sort())).toEqual([[A, C]]);
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([[A, B, C], [D]]);
    expect(forgotten.sort()).toEqual([A, C]);
    expect(watcher.isWatched(B)).toBe(true);
    expect(watcher.isWatched(A)).toBe(false);
  });

  it('does not show an ack for a user hidden while it was on its way', async () => {
    const { watcher, subscribes, stored, tick } = setup();
    watcher.show([A, B]);
    await tick();
    watcher.hide([A]);
    subscribes[0]?.resolve([online(A), online(B)]);
    await tick();
    expect(stored.map(({ userId }) => userId)).toEqual([B]);
  });

  it('waits for the connection, subscribes everything again after a reconnect, and ignores the old connection ack', async () => {
    const { watcher, subscribes, stored, connection, tick } = setup();
    connection.ready = false;
    watcher.show([A, B]);
    await tick();
    expect(subscribes).toEqual([]);

    connection.ready = true;
    watcher.connected();
    await tick();
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([[A, B]]);

    // The connection drops before the ack; the new one must not wait for it.
    watcher.connected();
    await tick();
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([
      [A, B],
      [A, B],
    ]);
    subscribes[0]?.resolve([{ ...online(A), status: 'away' }]);
    subscribes[1]?.resolve([online(A), online(B)]);
    await tick();
    expect(stored).toEqual([online(A), online(B)]);
  });

  it('at the limit, lets the unsubscribe land before the subscribe that takes its place', async () => {
    const { watcher, subscribes, unsubscribes, tick } = setup(2);
    watcher.show([A, B]);
    await tick();
    subscribes[0]?.resolve([]);
    await tick();
    watcher.show([C]); // pushes B out
    await tick();
    expect(unsubscribes.map(({ userIds }) => userIds)).toEqual([[B]]);
    expect(subscribes).toHaveLength(1);
    unsubscribes[0]?.resolve();
    await tick();
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([[A, B], [C]]);
  });

  it('asks again for users the server did not take, with the next change', async () => {
    const { watcher, subscribes, tick } = setup();
    watcher.show([A]);
    await tick();
    subscribes[0]?.reject(new Error('TIMEOUT'));
    await tick();
    watcher.show([B]);
    await tick();
    expect(subscribes.map(({ userIds }) => userIds)).toEqual([[A], [A, B]]);
  });

  it('shows an HTTP snapshot only while the socket is down, and only for watched users', async () => {
    const { watcher, stored, connection } = setup();
    watcher.show([A]);
    watcher.storeSnapshot([online(A)]);
    expect(stored).toEqual([]);
    connection.ready = false;
    watcher.storeSnapshot([online(A), online(B)]);
    expect(stored).toEqual([online(A)]);
  });
});
