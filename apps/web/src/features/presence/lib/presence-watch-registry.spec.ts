import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PresenceWatchRegistry } from './presence-watch-registry';

const A = 'a';
const B = 'b';
const C = 'c';
const D = 'd';

describe('presence watch registry', () => {
  it('watches a user while any component shows them', () => {
    const registry = new PresenceWatchRegistry();
    registry.show([A]); // sidebar
    registry.show([A, B]); // header of the open group
    expect(registry.takeChanges()).toMatchObject({ subscribe: [A, B], unsubscribe: [] });
    registry.hide([A, B]);
    expect(registry.isWatched(A)).toBe(true);
    expect(registry.isWatched(B)).toBe(false);
    expect(registry.takeChanges()).toMatchObject({ subscribe: [], unsubscribe: [B] });
    registry.hide([A]);
    expect(registry.takeChanges()).toMatchObject({ subscribe: [], unsubscribe: [A] });
  });

  it('sends only the difference, and nothing for a user hidden and shown again in between', () => {
    const registry = new PresenceWatchRegistry();
    registry.show([A, B]);
    registry.takeChanges();
    registry.hide([A, B]); // one conversation closes...
    registry.show([B, C]); // ...and the next opens
    expect(registry.takeChanges()).toMatchObject({ subscribe: [C], unsubscribe: [A] });
    expect(registry.takeChanges()).toMatchObject({ subscribe: [], unsubscribe: [] });
  });

  it('sends the whole set again on a new connection, and retries a refused subscribe', () => {
    const registry = new PresenceWatchRegistry();
    registry.show([A, B]);
    const first = registry.takeChanges();
    registry.reset();
    registry.show([C]);
    const second = registry.takeChanges();
    expect(second).toMatchObject({ subscribe: expect.arrayContaining([A, B, C]) as unknown, unsubscribe: [] });
    expect(second.subscribe).toHaveLength(3);
    // The old connection's failure says nothing about the new one.
    registry.subscribeFailed(first.subscribe, first.generation);
    expect(registry.takeChanges().subscribe).toEqual([]);
    registry.subscribeFailed([C], second.generation);
    expect(registry.takeChanges().subscribe).toEqual([C]);
  });

  it('over the limit keeps the most recently shown, the first listed highest, and lets the others back when room frees up', () => {
    const registry = new PresenceWatchRegistry(3);
    registry.show([A, B, C]);
    expect(registry.takeChanges()).toMatchObject({ subscribe: [A, B, C], unsubscribeFirst: false });
    registry.show([D]);
    expect([...registry.watched()].sort()).toEqual([A, B, D]);
    // Subscribing D before C is gone would be a fourth: the unsubscribe has to land first.
    expect(registry.takeChanges()).toMatchObject({ subscribe: [D], unsubscribe: [C], unsubscribeFirst: true });
    expect(registry.takeDropped()).toEqual([]);
    registry.hide([D]);
    expect(registry.takeChanges()).toMatchObject({ subscribe: [C], unsubscribe: [D] });
  });

  it('reports users who stopped being watched once', () => {
    const registry = new PresenceWatchRegistry(2);
    registry.show([A, B]);
    expect(registry.takeDropped()).toEqual([]);
    registry.show([C]); // pushes B out
    expect(registry.takeDropped()).toEqual([B]);
    expect(registry.takeDropped()).toEqual([]);
    registry.hide([A]); // B is back in
    expect(registry.takeDropped()).toEqual([A]);
    expect(registry.isWatched(B)).toBe(true);
  });

  it('never has the server hold more than the limit, and ends with it holding exactly the watched set', () => {
    const MAX = 4;
    const users = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('show' as const), ids: fc.uniqueArray(fc.constantFrom(...users), { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('hide' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('flush' as const), fail: fc.boolean() }),
      fc.constant({ kind: 'reconnect' as const }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const registry = new PresenceWatchRegistry(MAX);
        const mounted: string[][] = [];
        let server = new Set<string>();
        const flush = (fail: boolean) => {
          const { subscribe, unsubscribe, unsubscribeFirst } = registry.takeChanges();
          const afterUnsubscribe = new Set([...server].filter((id) => !unsubscribe.includes(id)));
          // Without waiting, the server may take the subscribe first.
          const peak = unsubscribeFirst ? afterUnsubscribe.size + subscribe.length : new Set([...server, ...subscribe]).size;
          expect(peak).toBeLessThanOrEqual(MAX);
          expect(subscribe.length).toBeLessThanOrEqual(MAX);
          server = afterUnsubscribe;
          if (fail && subscribe.length > 0) registry.subscribeFailed(subscribe, registry.generation);
          else for (const id of subscribe) server.add(id);
        };
        for (const action of steps) {
          if (action.kind === 'show') {
            mounted.push(action.ids);
            registry.show(action.ids);
          } else if (action.kind === 'hide') {
            if (mounted.length > 0) registry.hide(mounted.splice(action.index % mounted.length, 1)[0] as string[]);
          } else if (action.kind === 'flush') {
            flush(action.fail);
          } else {
            registry.reset();
            server = new Set();
          }
        }
        flush(false);
        const shown = new Set(mounted.flat());
        expect([...server].sort()).toEqual([...registry.watched()].sort());
        expect(server.size).toBe(Math.min(MAX, shown.size));
        for (const id of server) expect(shown.has(id)).toBe(true);
      }),
    );
  });
});
