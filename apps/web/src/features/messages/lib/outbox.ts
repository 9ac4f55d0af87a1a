import {
  isoDateTimeSchema,
  mentionsSchema,
  MESSAGE_ATTACHMENTS_MAX,
  MESSAGE_CONTENT_MAX,
  type SendMessageEvent,
  uploadedFileSchema,
  uuidSchema,
} from '@chat/shared';
import { z } from 'zod';
import { hasMentions, noMentions } from './mentions';
import type { ChatMessage, SendFailure } from './message-cache';

/** A message written but not yet confirmed by the server, as the browser keeps it. */
export const outboxEntrySchema = z
  .object({
    clientMessageId: uuidSchema,
    conversationId: uuidSchema,
    /** Empty when the message is files only. */
    content: z.string().max(MESSAGE_CONTENT_MAX),
    senderId: uuidSchema,
    senderName: z.string(),
    /** When it was written: unsent messages keep this order, whatever happens to their attempts. */
    createdAt: isoDateTimeSchema,
    /** Uploaded files it carries, as the uploads answered (shown at once; sent as attachmentIds). Absent in entries stored before files. */
    attachments: z.array(uploadedFileSchema).max(MESSAGE_ATTACHMENTS_MAX).optional(),
    /** Who it mentions, sent the same on every attempt. Absent when none (and in entries stored before mentions). */
    mentions: mentionsSchema.optional(),
    /** A thread reply: the root it answers. Absent for the main list (and in entries stored before threads). */
    threadRootId: uuidSchema.optional(),
  })
  .refine((entry) => entry.content.length > 0 || (entry.attachments?.length ?? 0) > 0);
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

const storedSchema = z.object({ version: z.literal(1), entries: z.array(outboxEntrySchema) });

/** One key per account, so another account signed in on the same browser never sees them. */
export const outboxStorageKey = (userId: string) => `chat:outbox:v1:${userId}`;

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const byWrittenOrder = (a: OutboxEntry, b: OutboxEntry) => a.createdAt.localeCompare(b.createdAt) || a.clientMessageId.localeCompare(b.clientMessageId);

/**
 * The unsent messages of one account, kept in localStorage so they survive a reload: read
 * synchronously at start-up (the timeline shows them at once), small, and read and written on
 * every change, so two tabs of the same account never overwrite each other's messages (both may
 * send one; the server stores it once). Unreadable or foreign content is ignored, not trusted.
 */
export class Outbox {
  /** Used only when storage is unavailable (private mode, disabled): the messages still go out. */
  private memory: OutboxEntry[] = [];
  private storageFailed = false;

  constructor(
    readonly userId: string,
    private readonly storage: KeyValueStorage | null = typeof window === 'undefined' ? null : window.localStorage,
  ) {
    this.memory = this.load() ?? [];
  }

  /** In the order they were written. */
  list(conversationId?: string): OutboxEntry[] {
    const entries = this.load() ?? this.memory;
    return conversationId === undefined ? entries : entries.filter((entry) => entry.conversationId === conversationId);
  }

  has(clientMessageId: string): boolean {
    return this.list().some((entry) => entry.clientMessageId === clientMessageId);
  }

  /** Adds a message, or puts a retried one back where it was written. */
  add(entry: OutboxEntry): void {
    const entries = this.list();
    if (entries.some((item) => item.clientMessageId === entry.clientMessageId)) return;
    this.save([...entries, entry].sort(byWrittenOrder));
  }

  remove(clientMessageId: string): void {
    const entries = this.list();
    const rest = entries.filter((entry) => entry.clientMessageId !== clientMessageId);
    if (rest.length !== entries.length) this.save(rest);
  }

  /** null: storage cannot be read at all. */
  private load(): OutboxEntry[] | null {
    let raw: string | null | undefined;
    try {
      if (!this.storage || this.storageFailed) return null;
      raw = this.storage.getItem(outboxStorageKey(this.userId));
    } catch {
      return null;
    }
    if (!raw) return [];
    try {
      const parsed = storedSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return [];
      return parsed.data.entries.filter((entry) => entry.senderId === this.userId).sort(byWrittenOrder);
    } catch {
      return [];
    }
  }

  private save(entries: OutboxEntry[]): void {
    this.memory = entries;
    try {
      if (entries.length === 0) this.storage?.removeItem(outboxStorageKey(this.userId));
      else this.storage?.setItem(outboxStorageKey(this.userId), JSON.stringify({ version: 1, entries }));
    } catch {
      // Storage full or disabled: the messages still go out from memory, they just won't survive a reload.
      this.storageFailed = true;
    }
  }
}

/** How an unsent message shows in the timeline. */
export function toPendingMessage(entry: OutboxEntry, status: 'sending' | 'failed' = 'sending', failure?: SendFailure): ChatMessage {
  return {
    id: entry.clientMessageId,
    conversationId: entry.conversationId,
    seq: 0,
    senderId: entry.senderId,
    sender: { id: entry.senderId, displayName: entry.senderName },
    content: entry.content,
    contentType: 'text',
    system: null,
    clientMessageId: entry.clientMessageId,
    createdAt: entry.createdAt,
    updatedAt: entry.createdAt,
    editedAt: null,
    deletedAt: null,
    attachments: entry.attachments ?? [],
    mentions: entry.mentions ?? noMentions(),
    reactions: [],
    reactionsVersion: 0,
    threadRootId: entry.threadRootId ?? null,
    thread: null,
    status,
    ...(failure ? { failure } : {}),
  };
}

/** The outbox entry a pending timeline message came from (for Retry after it left the outbox). */
export function toOutboxEntry(message: ChatMessage): OutboxEntry {
  return {
    clientMessageId: message.clientMessageId,
    conversationId: message.conversationId,
    content: message.content,
    senderId: message.senderId,
    senderName: message.sender.displayName,
    createdAt: message.createdAt,
    ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
    ...(hasMentions(message.mentions) ? { mentions: message.mentions } : {}),
    ...(message.threadRootId ? { threadRootId: message.threadRootId } : {}),
  };
}

/** What goes over the wire for an entry, on every attempt alike. */
export function toSendPayload(entry: OutboxEntry, readUpToSeq: number | undefined): Omit<SendMessageEvent, 'conversationId'> {
  const attachmentIds = entry.attachments?.map((file) => file.id) ?? [];
  return {
    content: entry.content,
    clientMessageId: entry.clientMessageId,
    contentType: 'text',
    // A reply does not read the main list, so it carries no readUpToSeq.
    ...(entry.threadRootId ? { threadRootId: entry.threadRootId } : { readUpToSeq }),
    ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
    ...(hasMentions(entry.mentions) ? { mentions: entry.mentions } : {}),
  };
}
