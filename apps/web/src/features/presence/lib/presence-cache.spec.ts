import { describe, expect, it } from 'vitest';
import { applyPresenceUpdate, presenceText } from './presence-cache';

const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';
const NOW = Date.parse('2025-05-14T12:00:00.000Z');

describe('presence cache', () => {
  const batch = {
    presences: [
      { userId: ALICE, status: 'online' as const, lastActivity: '2025-05-14T11:59:50.000Z', lastSeenAt: null },
      { userId: BOB, status: 'offline' as const, lastActivity: null, lastSeenAt: null },
    ],
  };

  it('applies a transition to the user in the batch and leaves other batches alone', () => {
    const next = applyPresenceUpdate(batch, { userId: ALICE, status: 'offline', lastSeenAt: '2025-05-14T11:59:55.000Z' });
    expect(next?.presences[0]).toEqual({ userId: ALICE, status: 'offline', lastActivity: null, lastSeenAt: '2025-05-14T11:59:55.000Z' });
    expect(next?.presences[1]).toBe(batch.presences[1]);
    const other = { presences: [batch.presences[1]!] };
    expect(applyPresenceUpdate(other, { userId: ALICE, status: 'away' })).toBe(other);
  });

  it('words the status, with last seen counting up', () => {
    expect(presenceText({ status: 'online', lastSeenAt: null }, NOW)).toBe('Online');
    expect(presenceText({ status: 'away', lastSeenAt: null }, NOW)).toBe('Away');
    expect(presenceText({ status: 'offline', lastSeenAt: null }, NOW)).toBe('Offline');
    expect(presenceText({ status: 'offline', lastSeenAt: '2025-05-14T11:59:30.000Z' }, NOW)).toBe('Last seen just now');
    expect(presenceText({ status: 'offline', lastSeenAt: '2025-05-14T11:55:00.000Z' }, NOW)).toBe('Last seen 5 min ago');
    expect(presenceText({ status: 'offline', lastSeenAt: '2025-05-14T09:00:00.000Z' }, NOW)).toBe('Last seen 3 h ago');
    expect(presenceText({ status: 'offline', lastSeenAt: '2025-05-13T09:00:00.000Z' }, NOW)).toBe('Last seen yesterday');
  });
});
