import type { Message } from '@chat/shared';

/** Builders for unit tests: ids that read well in a failure, and a valid message with overridable fields. */

export const CONVERSATION = '00000000-0000-4000-8000-00000000c0c0';
/** Who sends a message unless told otherwise. */
export const SENDER = '00000000-0000-4000-8000-0000000000b1';

/** A uuid ending in `prefix` and then `n`, zero-padded: `idOf('1', 7)` is `…-100000000007`. */
export function idOf(prefix: string, n: number): string {
  return `00000000-0000-4000-8000-${prefix}${String(n).padStart(12 - prefix.length, '0')}`;
}

/** `senderId` and `sender` of a message from `id`. */
export function sentBy(id: string, displayName: string): Pick<Message, 'senderId' | 'sender'> {
  return { senderId: id, sender: { id, displayName } };
}

/**
 * A plain text message at `seq` in CONVERSATION from SENDER, sent `seq` seconds after 12:00 on
 * 2025-05-14: id `idOf('1', seq)`, clientMessageId `idOf('2', seq)`, content `message <seq>`.
 */
export function makeMessage(seq: number, overrides: Partial<Message> = {}): Message {
  const at = new Date(Date.UTC(2025, 4, 14, 12, 0, seq)).toISOString();
  return {
    id: idOf('1', seq),
    conversationId: CONVERSATION,
    seq,
    ...sentBy(SENDER, 'B'),
    content: `message ${seq}`,
    contentType: 'text',
    system: null,
    clientMessageId: idOf('2', seq),
    createdAt: at,
    updatedAt: at,
    editedAt: null,
    deletedAt: null,
    attachments: [],
    mentions: { userIds: [], everyone: false },
    reactions: [],
    reactionsVersion: 0,
    threadRootId: null,
    thread: null,
    ...overrides,
  };
}
