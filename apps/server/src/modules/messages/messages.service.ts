import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { FileRow } from '@chat/db';
import {
  type Mentions,
  MESSAGE_EDIT_WINDOW_HOURS,
  MESSAGE_PAGE_MAX,
  type Message,
  type MessageHistoryQuery,
  type MessagePage,
  type ThreadRepliesPage,
  type ThreadRepliesQuery,
  type ThreadSummary,
} from '@chat/shared';
import { AppError } from '../../common/errors/app-error';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { ConversationsService } from '../conversations/conversations.service';
import { FileStorage } from '../../infra/storage/file-storage';
import { type AttachedFile, FileRepository } from '../files/file.repository';
import { forRoom } from '../reactions/reaction.mapper';
import { ReactionRepository } from '../reactions/reaction.repository';
import { deleteStoredObjects } from '../files/stored-objects';
import { mentionsAnyone } from './mention-rules';
import { mentionsOf, threadOf, toMessageDto } from './message.mapper';
import { isThreadRoot, MessageRepository, type MessageWithSender } from './message.repository';
import { mentionErrors, messageErrors, threadErrors } from './messages.errors';
import { SendGate } from './send-gate';

export interface SendInput {
  conversationId: string;
  content: string;
  clientMessageId: string;
  /** The highest seq up to which the sender's client holds every message (see insertWithSeq). */
  readUpToSeq?: number;
  /** Unattached files the sender uploaded; attached in the same statement as the insert. */
  attachmentIds?: readonly string[];
  /** Who the message mentions; checked and recorded in the same statement as the insert. */
  mentions?: Mentions;
  /** A thread reply: its root, checked and updated in the same statement as the insert. */
  threadRootId?: string;
}

export interface SendResult {
  message: Message;
  /** False when this clientMessageId was already stored and the original is returned. */
  created: boolean;
  /** A new reply: its root's summary after it. */
  rootThread?: ThreadSummary;
}

/** Where a send came from, so its own socket gets the ack instead of the broadcast. */
export interface SendOrigin {
  socketId?: string;
}

/**
 * The one write path for messages, shared by the socket gateway and the HTTP fallback:
 * dedup fast path and rate limit (one gate) -> the one-statement insert with the next seq -> event after commit.
 */
@Injectable()
export class MessagesService {
  private readonly logger = new Logger(MessagesService.name);

  constructor(
    private readonly messages: MessageRepository,
    private readonly files: FileRepository,
    private readonly reactions: ReactionRepository,
    private readonly storage: FileStorage,
    private readonly conversations: ConversationsService,
    private readonly gate: SendGate,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  private get sendRule() {
    return { points: this.config.messageRateLimit, windowMs: 60_000 };
  }

  async send(userId: string, input: SendInput, origin: SendOrigin = {}): Promise<SendResult> {
    // The id is chosen before the gate, so the gate can record it for resends in the same round trip.
    const id = randomUUID();
    const admission = await this.gate.admit({ senderId: userId, clientMessageId: input.clientMessageId, messageId: id }, this.sendRule);
    if (admission.kind === 'known') {
      const original = await this.messages.findById(admission.messageId);
      if (original) return this.replay(userId, input, original, origin);
      // Not stored (yet): a concurrent send of it still running, or one that failed. The insert decides.
    }
    if (admission.kind === 'refused') {
      this.metrics.rateLimitHits.inc({ rule: 'message' });
      throw messageErrors.rateLimited(admission.retryAfterSeconds);
    }

    const attachmentIds = input.attachmentIds ?? [];
    const mentions = mentionsAnyone(input.mentions) ? input.mentions : undefined;
    const outcome = await this.messages.insertWithSeq({
      id,
      conversationId: input.conversationId,
      content: input.content,
      clientMessageId: input.clientMessageId,
      readUpToSeq: input.readUpToSeq,
      senderId: userId,
      attachmentIds,
      mentions,
      threadRootId: input.threadRootId,
    });
    if (outcome.kind === 'refused') {
      // A resend the gate did not know finds its files taken by its own first try, or someone it
      // mentions gone since: it is a duplicate all the same.
      if (attachmentIds.length > 0 || mentions) {
        const original = await this.messages.findBySenderAndClientId(userId, input.clientMessageId);
        if (original) return this.replay(userId, input, original, origin);
      }
      // Only on this failure path: tell 404 (gone) from 403 (not a participant) from a bad mention or attachment.
      await this.conversations.requireParticipant(userId, input.conversationId);
      const refusal = mentions ? await this.messages.findMentionRefusal(input.conversationId, userId, mentions) : null;
      if (refusal) throw mentionErrors[refusal]();
      if (input.threadRootId !== undefined && !(await this.findThreadRoot(input.conversationId, input.threadRootId))) throw threadErrors.invalidRoot();
      throw attachmentIds.length > 0 ? messageErrors.attachmentUnavailable() : messageErrors.notFound();
    }
    if (outcome.kind === 'duplicate') {
      const original = await this.messages.findBySenderAndClientId(userId, input.clientMessageId);
      if (!original) throw messageErrors.notFound();
      return this.replay(userId, input, original, origin);
    }

    const message = toMessageDto(outcome.message, outcome.files);
    this.metrics.messagesSent.inc({ transport: origin.socketId ? 'socket' : 'http' });
    const rootThread = outcome.thread ?? undefined;
    this.events.emit('message.created', { message, created: true, originSocketId: origin.socketId, rootThread });
    return { message, created: true, rootThread };
  }

  async history(userId: string, conversationId: string, query: MessageHistoryQuery): Promise<MessagePage> {
    await this.conversations.requireParticipant(userId, conversationId);
    return this.page(userId, conversationId, query);
  }

  /** Catch-up for many conversations at once (socket `sync`); ones the user cannot read are skipped. */
  async sync(userId: string, items: Array<{ conversationId: string; afterSeq: number; updatedSince?: string }>) {
    const pages: Array<MessagePage & { conversationId: string }> = [];
    for (const item of items) {
      try {
        await this.conversations.requireParticipant(userId, item.conversationId);
      } catch (error) {
        // Only "not yours" or "gone" skips a conversation; a database that cannot answer fails the
        // whole sync, so a client never takes an empty answer for having caught up.
        if (error instanceof AppError) continue;
        throw error;
      }
      const page = await this.page(userId, item.conversationId, { afterSeq: item.afterSeq, updatedSince: item.updatedSince, limit: MESSAGE_PAGE_MAX });
      pages.push({ conversationId: item.conversationId, ...page });
    }
    return { conversations: pages };
  }

  /** `mentions`, when given, replace the message's; omitted, they stay. */
  async edit(userId: string, conversationId: string, messageId: string, content: string, mentions?: Mentions): Promise<Message> {
    await this.conversations.requireParticipant(userId, conversationId);
    const edited = await this.messages.edit({ messageId, conversationId, senderId: userId, content, windowHours: MESSAGE_EDIT_WINDOW_HOURS, mentions });
    if (edited.kind === 'mentions-refused') throw mentionErrors[edited.refusal]();
    if (edited.kind === 'refused') throw await this.explainRefusal(userId, conversationId, messageId, 'edit', content);
    const message = await this.withAttachments(edited.message, userId);
    this.events.emit('message.updated', { message: forRoom(message) });
    return message;
  }

  async remove(userId: string, conversationId: string, messageId: string): Promise<void> {
    await this.conversations.requireParticipant(userId, conversationId);
    const deleted = await this.messages.softDelete(messageId, userId);
    if (!deleted || deleted.message.conversationId !== conversationId) throw await this.explainRefusal(userId, conversationId, messageId, 'delete');
    const { message, root } = deleted;
    this.events.emit('message.deleted', {
      conversationId,
      messageId,
      seq: message.seq,
      deletedAt: message.deletedAt!.toISOString(),
      mentions: mentionsOf(message),
    });
    const thread = root && threadOf(root);
    if (thread) this.events.emit('thread.updated', { conversationId, rootId: root.id, thread });
    await deleteStoredObjects(this.storage, deleted.files, this.logger);
  }

  /** A thread, oldest first after `afterSeq`, with its root; 404 unless the root is a message of this conversation that is not a reply. */
  async replies(userId: string, conversationId: string, rootId: string, query: ThreadRepliesQuery): Promise<ThreadRepliesPage> {
    const thread = await this.messages.threadPage({ conversationId, userId, rootId, afterSeq: query.afterSeq ?? 0, limit: query.limit });
    if (!thread) {
      // Only on this failure path: tell 404 (gone) from 403 (not a participant) from 404 (no such root).
      await this.conversations.requireParticipant(userId, conversationId);
      throw threadErrors.notARoot();
    }
    const [rootDto, ...replies] = await this.withAttachmentsAll([thread.root, ...thread.replies.slice(0, query.limit)], userId, thread.files);
    return { root: rootDto!, replies, hasMore: thread.replies.length > query.limit };
  }

  /** A message of this conversation that is not a reply (deleted or not, replies or not), else 404. */
  async requireThreadRoot(conversationId: string, rootId: string): Promise<MessageWithSender> {
    const root = await this.messages.findById(rootId);
    if (!root || root.conversationId !== conversationId || root.threadRootId !== null) throw threadErrors.notARoot();
    return root;
  }

  /** The message as a thread root (see isThreadRoot) when it is one in this conversation, else null. */
  async findThreadRoot(conversationId: string, rootId: string): Promise<MessageWithSender | null> {
    const root = await this.messages.findById(rootId);
    return root && root.conversationId === conversationId && isThreadRoot(root) ? root : null;
  }

  /** Messages by id as `viewerId` sees them, with their files, in the order asked (unknown ids left out). */
  async findDtos(ids: readonly string[], viewerId: string): Promise<Message[]> {
    const rows = await this.messages.findByIds(ids);
    const byId = new Map((await this.withAttachmentsAll(rows, viewerId)).map((message) => [message.id, message]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private async page(viewerId: string, conversationId: string, query: Omit<MessageHistoryQuery, 'limit'> & { limit: number }): Promise<MessagePage> {
    // Catch-up is one stream (replies included); history pages show the main list unless asked.
    const includeReplies = query.afterSeq !== undefined || query.includeReplies === true;
    if (query.aroundSeq !== undefined) return this.pageAround(viewerId, conversationId, query.aroundSeq, query.limit, includeReplies);
    const syncedAt = await this.messages.now();
    const rows = await this.messages.page(conversationId, { ...query, includeReplies });
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (query.afterSeq === undefined) page.reverse();
    const lastSeq = await this.conversations.lastSeq(conversationId);
    const updates =
      query.afterSeq !== undefined && query.updatedSince
        ? await this.messages.changedSince(conversationId, query.afterSeq, new Date(query.updatedSince), MESSAGE_PAGE_MAX)
        : [];
    const dtos = await this.withAttachmentsAll([...page, ...updates], viewerId);
    return {
      messages: dtos.slice(0, page.length),
      hasMore,
      updates: dtos.slice(page.length),
      lastSeq,
      syncedAt: syncedAt.toISOString(),
    };
  }

  /**
   * The page centred on `seq` (it included, when it exists): half older, half newer; a side with
   * fewer messages leaves its room to the other, so the page is full whenever the conversation is.
   */
  private async pageAround(viewerId: string, conversationId: string, seq: number, limit: number, includeReplies: boolean): Promise<MessagePage> {
    const syncedAt = await this.messages.now();
    const older = await this.messages.page(conversationId, { beforeSeq: seq + 1, limit, includeReplies });
    const newer = await this.messages.page(conversationId, { afterSeq: seq, limit, includeReplies });
    const olderWanted = Math.max(Math.ceil(limit / 2), limit - newer.length);
    const olderTaken = Math.min(older.length, olderWanted);
    const newerTaken = Math.min(newer.length, limit - olderTaken);
    const page = [...older.slice(0, olderTaken).reverse(), ...newer.slice(0, newerTaken)];
    return {
      messages: await this.withAttachmentsAll(page, viewerId),
      hasMore: older.length > olderTaken,
      hasMoreAfter: newer.length > newerTaken,
      updates: [],
      lastSeq: await this.conversations.lastSeq(conversationId),
      syncedAt: syncedAt.toISOString(),
    };
  }

  /**
   * A resend of a stored message returns the original. It is also broadcast again: if the node
   * that stored it died before its fan-out, this resend is what delivers it.
   */
  private async replay(userId: string, input: SendInput, original: MessageWithSender, origin: SendOrigin): Promise<SendResult> {
    if (original.conversationId !== input.conversationId) throw messageErrors.clientIdReused();
    await this.conversations.requireParticipant(userId, input.conversationId);
    const message = await this.withAttachments(original, userId);
    this.events.emit('message.created', { message: forRoom(message), created: false, originSocketId: origin.socketId });
    return { message, created: false };
  }

  private async withAttachments(row: MessageWithSender, viewerId: string): Promise<Message> {
    const [message] = await this.withAttachmentsAll([row], viewerId);
    return message!;
  }

  /**
   * Messages with their files and their reactions as `viewerId` sees them: one query for the files
   * of all of them (none for deleted ones) unless the read brought them (`files`), and one for the
   * reactions of those that ever had any.
   */
  private async withAttachmentsAll(
    rows: readonly MessageWithSender[],
    viewerId: string,
    files?: ReadonlyMap<string, readonly AttachedFile[]>,
  ): Promise<Message[]> {
    const live = rows.filter((row) => !row.deletedAt);
    const [byMessage, reactions] = await Promise.all([
      files ?? this.filesOf(live),
      this.reactions.totals(
        null,
        live.filter((row) => row.reactionsVersion > 0).map((row) => row.id),
        viewerId,
      ),
    ]);
    return rows.map((row) => toMessageDto(row, byMessage.get(row.id), reactions.get(row.id)));
  }

  private async filesOf(rows: readonly MessageWithSender[]): Promise<Map<string, FileRow[]>> {
    const byMessage = new Map<string, FileRow[]>();
    for (const file of await this.files.findByMessages(rows.map((row) => row.id))) {
      byMessage.set(file.messageId!, [...(byMessage.get(file.messageId!) ?? []), file]);
    }
    return byMessage;
  }

  private async explainRefusal(userId: string, conversationId: string, messageId: string, action: 'edit' | 'delete', content?: string) {
    const message = await this.messages.findById(messageId);
    if (!message || message.conversationId !== conversationId) return messageErrors.notFound();
    if (message.contentType === 'system') return messageErrors.systemMessage();
    if (message.senderId !== userId) return messageErrors.notOwner();
    if (message.deletedAt) return messageErrors.deleted();
    if (action === 'delete') return messageErrors.notFound();
    // Empty text was refused because the message has no files (when the window is still open).
    if (content === '' && message.createdAt.getTime() > Date.now() - MESSAGE_EDIT_WINDOW_HOURS * 3_600_000) return messageErrors.emptyEdit();
    return messageErrors.editWindowPassed();
  }
}
