import type { SearchResult } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { resultConversationName, resultSenderName } from './result-names';

const ME = '00000000-0000-4000-8000-0000000000a1';
const ADA = '00000000-0000-4000-8000-0000000000b1';

function result(type: 'direct' | 'group', senderId: string, title: string | null = null): Pick<SearchResult, 'conversation' | 'message'> {
  return {
    conversation: { id: '00000000-0000-4000-8000-00000000c0c0', type, title },
    message: { senderId, sender: { id: senderId, displayName: senderId === ME ? 'Me' : 'Ada' } } as SearchResult['message'],
  };
}

describe('resultConversationName', () => {
  it('names it as the sidebar does when the sidebar has it', () => {
    expect(resultConversationName(result('direct', ME), { type: 'direct', title: null, peer: { id: ADA, displayName: 'Ada Lovelace' } }, ME)).toBe(
      'Ada Lovelace',
    );
  });

  it('uses the group title, or the direct chat partner who wrote the message, when the sidebar does not have it', () => {
    expect(resultConversationName(result('group', ADA, 'Lunch crew'), undefined, ME)).toBe('Lunch crew');
    expect(resultConversationName(result('group', ADA, null), undefined, ME)).toBe('Untitled group');
    expect(resultConversationName(result('direct', ADA), undefined, ME)).toBe('Ada');
    expect(resultConversationName(result('direct', ME), undefined, ME)).toBe('Direct message');
  });
});

describe('resultSenderName', () => {
  it('says You for your own messages, in groups and direct chats', () => {
    expect(resultSenderName(result('group', ME), ME)).toBe('You');
    expect(resultSenderName(result('direct', ME), ME)).toBe('You');
  });

  it('names the sender in a group, where the conversation name does not say who wrote it', () => {
    expect(resultSenderName(result('group', ADA, 'Lunch crew'), ME)).toBe('Ada');
  });

  it('leaves out the other person of a direct chat, already named as the conversation', () => {
    expect(resultSenderName(result('direct', ADA), ME)).toBeUndefined();
    // Together they name the writer once.
    const names = [resultConversationName(result('direct', ADA), undefined, ME), resultSenderName(result('direct', ADA), ME)].filter(Boolean);
    expect(names).toEqual(['Ada']);
  });
});
