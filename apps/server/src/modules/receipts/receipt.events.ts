import type { ConversationReadEvent, ReceiptCountEvent, ReceiptUpdatedEvent } from '@chat/shared';

export const ReceiptEvent = {
  /** A reader's marker moved in a small conversation: tell the conversation now. */
  Updated: 'receipt.updated',
  /** Batched readers count of a large group's newest message. */
  Count: 'receipt.count',
  /** The reader's own read state changed: tell their other devices. */
  ConversationRead: 'receipt.conversation-read',
} as const;

export type ReceiptUpdatedDomainEvent = ReceiptUpdatedEvent;
export type ReceiptCountDomainEvent = ReceiptCountEvent;
/** `originSocketId`: the socket that sent the read, which learns the state from its ack. */
export type ConversationReadDomainEvent = ConversationReadEvent & { userId: string; originSocketId?: string };
