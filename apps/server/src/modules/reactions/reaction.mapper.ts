import type { Message } from '@chat/shared';

/**
 * A message as a whole room is sent it (message:updated, a replayed message:received): `me` is
 * per viewer, so it says false for all; clients keep their own (docs/websocket-protocol.md).
 */
export const forRoom = (message: Message): Message =>
  message.reactions.length === 0 ? message : { ...message, reactions: message.reactions.map((reaction) => ({ ...reaction, me: false })) };
