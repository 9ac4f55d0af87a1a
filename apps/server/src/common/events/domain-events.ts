import type {
  ConversationNotificationsEvent,
  ConversationReadEvent,
  Message,
  MessageDeletedEvent,
  MessageReactionsEvent,
  PresenceUpdateEvent,
  PublicUser,
  ReceiptCountEvent,
  ReceiptUpdatedEvent,
  ThreadReadState,
  ThreadSummary,
  ThreadUpdatedEvent,
  UserSettings,
} from '@chat/shared';

/**
 * Every domain event a service emits after its change committed, by name, with its payload. The
 * realtime layer and other modules listen (see OnDomainEvent); a field no listener reads is not sent.
 */
export interface DomainEvents {
  'message.created': MessageCreatedEvent;
  'message.updated': { message: Message };
  'message.deleted': MessageDeletedEvent;
  /** A reaction was added or taken back; the totals are those of reactionsVersion. */
  'message.reactions-changed': MessageReactionsEvent;
  /** A reply was deleted: everyone in the conversation sees the root's summary move (a new reply's event carries it). */
  'thread.updated': ThreadUpdatedEvent;
  /** A follower's thread marker moved: tell their other devices. */
  'thread.read': ThreadReadState & { userId: string; originSocketId?: string };

  /** Everyone now in it, creator included. */
  'conversation.created': { conversationId: string; userIds: string[] };
  'conversation.updated': { conversationId: string };
  'conversation.deleted': ConversationDeletedEvent;
  'conversation.members-added': MembersAddedEvent;
  'conversation.member-left': MemberLeftEvent;
  /** A user changed their notifications of a conversation: tell all their devices. */
  'conversation.notifications-changed': ConversationNotificationsEvent & { userId: string };

  /** A session ended (logout or refresh-token theft): its open sockets must close. */
  'auth.session-revoked': { sessionId: string };

  /** The display name changed: everyone who shows it should refetch. */
  'user.profile-changed': { user: PublicUser };
  'user.settings-changed': { userId: string; before: UserSettings; after: UserSettings };

  /** A reader's marker moved in a small conversation: tell the conversation now. */
  'receipt.updated': ReceiptUpdatedEvent;
  /** Batched readers count of a large group's newest message. */
  'receipt.count': ReceiptCountEvent;
  /** The reader's own read state changed: tell their other devices. */
  'receipt.conversation-read': ConversationReadDomainEvent;

  // Who hears a user's presence is decided per watcher: each socket that subscribed to a user and
  // may see them is in that user's presence room. These events change the room or emit to it.
  /** A user's status changed: tell the watchers who may see them. */
  'presence.changed': { update: PresenceUpdateEvent };
  /** More people may see a user now: let in the watchers among them, and tell them the status. */
  'presence.shared': PresenceSharedEvent;
  /** Fewer people may see a user now: every other watcher sees them go offline and is let out. */
  'presence.withdrawn': PresenceWithdrawnEvent;
}

export type DomainEventName = keyof DomainEvents;

export interface MessageCreatedEvent {
  message: Message;
  /** False for a resend of a stored message, broadcast again but already notified (see MessagesService.replay). */
  created: boolean;
  /** The socket that sent it, which gets `message:sent` instead of `message:received`. */
  originSocketId?: string;
  /** A new reply: its root's summary after it. */
  rootThread?: ThreadSummary;
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
  /** The owner who removed them (absent when they left). */
  by?: PublicUser;
  title: string | null;
}

/** `originSocketId`: the socket that sent the read, which learns the state from its ack. */
export type ConversationReadDomainEvent = ConversationReadEvent & { userId: string; originSocketId?: string };

export interface PresenceSharedEvent {
  userId: string;
  /** Which watchers may now see them: all, those who are these users, or those in this conversation. */
  among: 'all' | { userIds: string[] } | { conversationId: string };
  /** What the newcomers are told; null when offline (they already show offline). */
  update: PresenceUpdateEvent | null;
}

export interface PresenceWithdrawnEvent {
  userId: string;
  /** Which watchers may no longer see them: all but these users (and the user's own sockets), or these users. */
  from: { allBut: string[] } | { userIds: string[] };
}
