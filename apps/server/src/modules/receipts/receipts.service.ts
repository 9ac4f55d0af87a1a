import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type MarkReadResult, type MessageReceipts, RECEIPT_BATCH_THRESHOLD } from '@chat/shared';
import { ConversationsService } from '../conversations/conversations.service';
import { MetricsService } from '../metrics/metrics.service';
import { PendingReadsStore } from './pending-reads.store';
import {
  type ConversationReadDomainEvent,
  type ReceiptCountDomainEvent,
  ReceiptEvent,
  type ReceiptUpdatedDomainEvent,
} from './receipt.events';
import { ReceiptRepository } from './receipt.repository';
import { receiptErrors } from './receipts.errors';

/**
 * Read state is one marker per participant (last_read_seq): reading message N reads everything up
 * to N, and "read by" and unread counts are derived from markers, never from a row per message.
 * Small conversations hear about each read at once; groups of 10+ get batched counts.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger(ReceiptsService.name);

  constructor(
    private readonly receipts: ReceiptRepository,
    private readonly conversations: ConversationsService,
    private readonly pending: PendingReadsStore,
    private readonly events: EventEmitter2,
    private readonly metrics: MetricsService,
  ) {}

  async markRead(userId: string, conversationId: string, messageId: string): Promise<MarkReadResult> {
    const conversation = await this.conversations.requireParticipant(userId, conversationId);
    const message = await this.receipts.messageInConversation(messageId, conversationId);
    if (!message) throw receiptErrors.messageNotFound();

    const readAt = await this.receipts.advanceMarker(conversationId, userId, message.seq);
    const state = (await this.receipts.readState(conversationId, userId)) ?? { lastReadSeq: message.seq, unreadCount: 0 };
    if (readAt) {
      if (conversation.participantCount < RECEIPT_BATCH_THRESHOLD) {
        await this.receipts.insertReadEvents([{ messageId, userId, readAt }]);
        if (await this.receipts.readReceiptsEnabled(userId)) {
          this.events.emit(ReceiptEvent.Updated, {
            conversationId,
            messageId,
            seq: message.seq,
            userId,
            readAt: readAt.toISOString(),
          } satisfies ReceiptUpdatedDomainEvent);
        }
      } else {
        await this.pending.add({ conversationId, userId, messageId, seq: message.seq, readAt: readAt.getTime() });
      }
      this.events.emit(ReceiptEvent.ConversationRead, { userId, conversationId, ...state } satisfies ConversationReadDomainEvent);
    }
    return { conversationId, ...state };
  }

  /**
   * Stores the read log of the large groups read since the last flush and broadcasts each group's
   * readers count of its newest message. Counts come from the markers, so a read flushed twice
   * (after a node died mid-flush) is not counted twice.
   */
  async flush(): Promise<{ reads: number; conversations: number }> {
    const stopTimer = this.metrics.receiptFlushDuration.startTimer();
    const batch = await this.pending.take();
    this.metrics.receiptFlushSize.observe(batch.reads.length);
    if (batch.reads.length === 0) {
      await batch.done();
      stopTimer();
      return { reads: 0, conversations: 0 };
    }
    await this.receipts.insertReadEvents(batch.reads.map((read) => ({ messageId: read.messageId, userId: read.userId, readAt: new Date(read.readAt) })));
    const conversationIds = [...new Set(batch.reads.map((read) => read.conversationId))];
    const counts = await this.receipts.newestMessageCounts(conversationIds);
    await batch.done();
    for (const count of counts) this.events.emit(ReceiptEvent.Count, count satisfies ReceiptCountDomainEvent);
    stopTimer();
    this.logger.debug(`flushed ${batch.reads.length} reads in ${conversationIds.length} conversations`);
    return { reads: batch.reads.length, conversations: conversationIds.length };
  }

  async receiptsFor(userId: string, messageId: string): Promise<MessageReceipts> {
    const message = await this.receipts.messageById(messageId);
    if (!message) throw receiptErrors.messageNotFound();
    await this.conversations.requireParticipant(userId, message.conversationId);
    const candidates = await this.receipts.readersOf(message.conversationId, message.seq, message.senderId);
    const readers = candidates.filter((c) => c.lastReadSeq >= message.seq);
    return {
      receipts: readers
        .map((r) => ({
          userId: r.userId,
          user: { id: r.userId, displayName: r.displayName },
          readAt: new Date(r.firstReadAt ?? r.lastReadAt ?? new Date()).toISOString(),
        }))
        .sort((a, b) => a.readAt.localeCompare(b.readAt)),
      totalCount: candidates.length,
      readCount: readers.length,
    };
  }
}
