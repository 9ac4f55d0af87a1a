import type { Conversation, ConversationPage } from '@chat/shared';

/** Builders for unit tests: a valid conversation with overridable fields. */
export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  const id = overrides.id ?? '00000000-0000-4000-8000-000000000001';
  return {
    id,
    type: 'group',
    title: 'Weekend plans',
    isPublic: false,
    ownerId: '00000000-0000-4000-8000-0000000000aa',
    peer: null,
    role: 'member',
    participantCount: 3,
    lastSeq: 0,
    lastReadSeq: 0,
    unreadCount: 0,
    mentionCount: 0,
    notifications: { level: 'all', custom: false, mutedUntil: null },
    lastMessage: null,
    lastActivityAt: '2025-05-14T12:00:00.000Z',
    createdAt: '2025-05-14T12:00:00.000Z',
    updatedAt: '2025-05-14T12:00:00.000Z',
    ...overrides,
  };
}

export function makePage(conversations: Conversation[], nextCursor: string | null = null): ConversationPage {
  return { conversations, nextCursor, hasMore: nextCursor !== null };
}

export function idOf(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
