import { describe, expect, it } from 'vitest';
import { makeConversation } from './conversation-fixtures';
import { defaultLevelOf, isMuted, isQuiet, muteRequest } from './notification-settings';

const NOW = Date.parse('2025-05-14T12:00:00.000Z');
const defaults = { direct: 'all', group: 'all', largeGroup: 'mentions' } as const;

describe('isMuted and isQuiet', () => {
  it('counts a mute only while its end is ahead, so a stale list stops greying by itself', () => {
    const until = (iso: string | null) => ({ level: 'all' as const, custom: false, mutedUntil: iso });
    expect(isMuted(until('2025-05-14T12:00:01.000Z'), NOW)).toBe(true);
    expect(isMuted(until('2025-05-14T12:00:00.000Z'), NOW)).toBe(false);
    expect(isMuted(until(null), NOW)).toBe(false);
    expect(isQuiet(until(null), NOW)).toBe(false);
    expect(isQuiet({ level: 'none', custom: true, mutedUntil: null }, NOW)).toBe(true);
  });
});

describe('defaultLevelOf', () => {
  it('is the level itself when the conversation follows the default', () => {
    const conversation = makeConversation({ notifications: { level: 'mentions', custom: false, mutedUntil: null } });
    expect(defaultLevelOf(conversation, undefined)).toBe('mentions');
  });

  it("is the user's default for the kind and size of a conversation with its own level", () => {
    const own = { level: 'none' as const, custom: true, mutedUntil: null };
    expect(defaultLevelOf(makeConversation({ type: 'direct', notifications: own }), defaults)).toBe('all');
    expect(defaultLevelOf(makeConversation({ participantCount: 9, notifications: own }), defaults)).toBe('all');
    expect(defaultLevelOf(makeConversation({ participantCount: 10, notifications: own }), defaults)).toBe('mentions');
    expect(defaultLevelOf(makeConversation({ notifications: own }), undefined)).toBeUndefined();
  });
});

describe('muteRequest', () => {
  it('keeps the level as it is: its own, or the default', () => {
    const until = '2025-05-14T13:00:00.000Z';
    expect(muteRequest({ level: 'none', custom: true, mutedUntil: null }, until)).toEqual({ level: 'none', mutedUntil: until });
    expect(muteRequest({ level: 'mentions', custom: false, mutedUntil: until }, null)).toEqual({ level: 'default', mutedUntil: null });
  });
});
