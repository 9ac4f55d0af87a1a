import type { PublicUser } from '@chat/shared';

/**
 * Domain events the conversations service emits after its transaction commits; the realtime layer
 * turns them into socket emits to the affected users.
 */
export const ConversationEvent = {
  Created: 'conversation.created',
  Updated: 'conversation.updated',
  Deleted: 'conversation.deleted',
  MembersAdded: 'conversation.members-added',
  MemberLeft: 'conversation.member-left',
} as const;

export interface ConversationCreatedEvent {
  conversationId: string;
  /** Everyone now in it, creator included. */
  userIds: string[];
}

export interface ConversationUpdatedEvent {
  conversationId: string;
  userIds: string[];
}

export interface ConversationDeletedEvent {
  conversationId: string;
  userIds: string[];
  /** The owner who deleted it, and what it was called, so members are told what they lost. */
  by: PublicUser;
  title: string | null;
}

export interface MembersAddedEvent {
  conversationId: string;
  addedUserIds: string[];
  /** Members before the change, who should refresh the participant list. */
  existingUserIds: string[];
}

export interface MemberLeftEvent {
  conversationId: string;
  userId: string;
  /** True when the owner removed them, false when they left. */
  removed: boolean;
  remainingUserIds: string[];
  newOwnerId: string | null;
  /** The owner who removed them (absent when they left). */
  by?: PublicUser;
  title: string | null;
}
