import { describe, expect, it } from 'vitest';
import { applyPresenceUpdate, presenceText } from './presence-cache';

const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';
const NOW = Date.parse('2025-05-14T12:00:00.000Z');

describe('presence cache', () => {
  const online = { userId: ALICE, status: 'online' as const, lastActivity: '2025-05-14T11:59:50.000Z', lastSeenAt: null };

  it('applies a transition, keeping the last activity an away event leaves out', () => {
    expect(applyPresenceUpdate(online, { userId: ALICE, status: 'away' })).toEqual({ ...online, status: 'away' });
    expect(applyPresenceUpdate(online, { userId: ALICE, status: 'offline', lastSeenAt: '2025-05-14T11:59:55.000Z' })).toEqual({
      userId: ALICE,
      status: 'offline',
      lastActivity: null,
      lastSeenAt: '2025-05-14T11:59:55.000Z',
    });
    // An event before any status (it overtook the subscribe ack) is a status of its own.
    expect(applyPresenceUpdate(undefined, { userId: BOB, status: 'online', lastActivity: '2025-05-14T12:00:00.000Z' })).toEqual({
      userId: BOB,
      status: 'online',
      lastActivity: '2025-05-14T12:00:00.000Z',
      lastSeenAt: null,
    });
  });

  it('drops a last seen the user stopped sharing', () => {
    const seen = { userId: ALICE, status: 'offline' as const, lastActivity: null, lastSeenAt: '2025-05-14T11:00:00.000Z' };
    expect(applyPresenceUpdate(seen, { userId: ALICE, status: 'offline' })).toEqual({ ...seen, lastSeenAt: null });
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
