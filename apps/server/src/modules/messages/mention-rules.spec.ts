import { EVERYONE_MENTION_OPEN_MAX } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { type MentionFacts, mentionRefusal, mentionsAnyone } from './mention-rules';

const ann = '6f1c1f3e-1d6b-4c43-9d0b-2f6f5b7f0a01';
const ben = '6f1c1f3e-1d6b-4c43-9d0b-2f6f5b7f0a02';
const group = (overrides: Partial<MentionFacts> = {}): MentionFacts => ({
  type: 'group',
  participantCount: 3,
  senderIsOwner: false,
  mentionedMembers: 0,
  ...overrides,
});

describe('mentionRefusal', () => {
  it('accepts members only: one id that is not a current participant refuses the whole message', () => {
    expect(mentionRefusal({ userIds: [ann, ben], everyone: false }, group({ mentionedMembers: 2 }))).toBeNull();
    expect(mentionRefusal({ userIds: [ann, ben], everyone: false }, group({ mentionedMembers: 1 }))).toBe('not-members');
  });

  it('refuses everyone in a direct chat', () => {
    expect(mentionRefusal({ userIds: [], everyone: true }, group({ type: 'direct', participantCount: 2 }))).toBe('everyone-in-direct');
  });

  it('lets any member mention everyone up to the open size, and only owners above it', () => {
    const everyone = { userIds: [], everyone: true };
    expect(mentionRefusal(everyone, group({ participantCount: EVERYONE_MENTION_OPEN_MAX }))).toBeNull();
    expect(mentionRefusal(everyone, group({ participantCount: EVERYONE_MENTION_OPEN_MAX + 1 }))).toBe('everyone-forbidden');
    expect(mentionRefusal(everyone, group({ participantCount: EVERYONE_MENTION_OPEN_MAX + 1, senderIsOwner: true }))).toBeNull();
  });

  it('names the non-member first when both rules are broken', () => {
    expect(mentionRefusal({ userIds: [ann], everyone: true }, group({ type: 'direct' }))).toBe('not-members');
  });
});

describe('mentionsAnyone', () => {
  it('is false for nothing, no one and an explicit empty mention', () => {
    expect(mentionsAnyone(undefined)).toBe(false);
    expect(mentionsAnyone({ userIds: [], everyone: false })).toBe(false);
    expect(mentionsAnyone({ userIds: [ann], everyone: false })).toBe(true);
    expect(mentionsAnyone({ userIds: [], everyone: true })).toBe(true);
  });
});
