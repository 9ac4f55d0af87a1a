import type { Message, MessageDeletedEvent } from '@chat/shared';

/** Emitted after the transaction that stored the change committed. */
export const MessageEvent = {
  Created: 'message.created',
  Updated: 'message.updated',
  Deleted: 'message.deleted',
} as const;

export interface MessageCreatedEvent {
  message: Message;
  /** The socket that sent it, which gets `message:sent` instead of `message:received`. */
  originSocketId?: string;
  /** A resend of a stored message: broadcast again in case the first fan-out never happened. */
  replay: boolean;
}

export interface MessageUpdatedEvent {
  message: Message;
}

export type MessageDeletedDomainEvent = MessageDeletedEvent;
