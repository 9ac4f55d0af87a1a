import { describe, expect, it } from 'vitest';
import { removalNoticeText } from './removal-notice';

const ada = { id: '00000000-0000-4000-8000-00000000000a', displayName: 'Ada' };
const me = '00000000-0000-4000-8000-00000000000b';
const conversationId = '00000000-0000-4000-8000-00000000000c';

describe('removalNoticeText', () => {
  it('says who removed the user from which group', () => {
    expect(removalNoticeText({ conversationId, reason: 'removed', by: ada, title: 'Launch' }, me)).toBe('Ada removed you from "Launch"');
    expect(removalNoticeText({ conversationId, reason: 'removed', by: ada, title: null }, me)).toBe('Ada removed you from the group');
  });

  it('says who deleted the group', () => {
    expect(removalNoticeText({ conversationId, reason: 'deleted', by: ada, title: 'Launch' }, me)).toBe('Ada deleted the group "Launch"');
  });

  it('says nothing when the user left or deleted it themselves, or the server did not say who', () => {
    expect(removalNoticeText({ conversationId, reason: 'left', title: 'Launch' }, me)).toBeNull();
    expect(removalNoticeText({ conversationId, reason: 'deleted', by: { id: me, displayName: 'Me' }, title: 'Launch' }, me)).toBeNull();
    expect(removalNoticeText({ conversationId, reason: 'removed' }, me)).toBeNull();
  });
});
