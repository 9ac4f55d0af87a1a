import { Injectable, Logger } from '@nestjs/common';
import { type MarkReadResult, type MessageReceipts, RECEIPT_BATCH_THRESHOLD } from '@chat/shared';
import { MicroBatcher } from '../../common/batching/micro-batcher';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { conversationErrors } from '../conversations/conversations.errors';
import { ConversationsService } from '../conversations/conversations.service';
import { MembershipRepository, type ReadOutcome, type ReadRequest } from '../conversations/membership.repository';
import { MessageRepository } from '../messages/message.repository';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { type PendingRead, PendingReadsStore } from './pending-reads.store';
import { ReceiptRepository } from './receipt.repository';
import { receiptErrors } from './receipts.errors';

/** A read as it arrives; `originSocketId` is the socket that sent it, if one did. */
type ReadCall = ReadRequest & { originSocketId?: string };

/**
 * Read state is one marker per participant (last_read_seq): reading message N reads everything up
 * to N, and "read by" and unread counts are derived from markers, never from a row per message.
 * Small conversations hear about each read at once; groups of 10+ get batched counts.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger(ReceiptsService.name);
  // Under load, reads gather for up to 20 ms: a reader does not notice, and each batch's fixed cost
  // (a statement, two Redis calls) is shared by more reads. A read after a quiet spell goes at once.
  private readonly reads = new MicroBatcher<ReadCall, MarkReadResult>((requests) => this.applyReads(requests), {
    maxBatch: 200,
    maxConcurrent: 1,
    minIntervalMs: 20,
  });

  constructor(
    private readonly receipts: ReceiptRepository,
    private readonly memberships: MembershipRepository,
    private readonly messages: MessageRepository,
    private readonly conversations: ConversationsService,
    private readonly pending: PendingReadsStore,
    private readonly events: DomainEventBus,
    private readonly metrics: MetricsService,
    private readonly presence: PresenceService,
  ) {}

  /**
   * Marks everything up to `messageId` read. Reads go to the database in batches (one statement
   * per batch, see MembershipRepository.moveReadMarkers), so a burst of reads costs a few statements, not a
   * few per read.
   */
  markRead(userId: string, conversationId: string, messageId: string, originSocketId?: string): Promise<MarkReadResult> {
    return this.reads.submit({ userId, conversationId, messageId, originSocketId });
  }

  private async applyReads(requests: Array<ReadCall>): Promise<Array<MarkReadResult | Error>> {
    const outcomes = await this.memberships.moveReadMarkers(requests);
    const moves = new Map<string, { request: ReadCall; outcome: ReadOutcome; movedAt: Date }>();
    const answers = requests.map((request, index): MarkReadResult | Error => {
      const outcome = outcomes[index]!;
      if (!outcome.live) return conversationErrors.notFound();
      if (!outcome.member) return conversationErrors.notParticipant();
      if (outcome.seq === null) return receiptErrors.messageNotFound();
      // Two requests for the same message in one batch moved the marker once.
      if (outcome.movedAt) moves.set(`${request.conversationId}|${request.userId}`, { request, outcome, movedAt: outcome.movedAt });
      return {
        conversationId: request.conversationId,
        lastReadSeq: outcome.lastReadSeq,
        unreadCount: outcome.unreadCount,
        mentionCount: outcome.mentionCount,
      };
    });

    // The reader's other devices hear about the new read state; the device that read has it in its
    // ack. A reader on one device (most of them) needs no broadcast at all.
    const socketReaders = [...moves.values()].filter(({ request }) => request.originSocketId).map(({ request }) => request.userId);
    const devices = await this.presence.liveDevices([...new Set(socketReaders)]);
    const pending: PendingRead[] = [];
    for (const { request, outcome, movedAt } of moves.values()) {
      const { userId, conversationId, messageId } = request;
      const seq = outcome.seq!;
      if (outcome.participantCount >= RECEIPT_BATCH_THRESHOLD) {
        pending.push({ conversationId, userId, messageId, seq, readAt: movedAt.getTime() });
      } else if (outcome.readReceiptsEnabled) {
        this.events.emit('receipt.updated', { conversationId, messageId, seq, userId, readAt: movedAt.toISOString() });
      }
      const live = devices?.get(userId);
      const onlyThisDevice = live?.length === 1 && live[0] === request.originSocketId;
      if (onlyThisDevice) continue;
      this.events.emit('receipt.conversation-read', {
        userId,
        originSocketId: request.originSocketId,
        conversationId,
        lastReadSeq: outcome.lastReadSeq,
        unreadCount: outcome.unreadCount,
        mentionCount: outcome.mentionCount,
      });
    }
    // The markers are stored and every answer is right; the pending counts only feed the next
    // batched receipt:count, so a Redis failure here costs one broadcast, not the reads.
    await this.pending.add(pending).catch((error: unknown) => this.logger.warn({ msg: 'pending receipt counts not recorded', err: error }));
    return answers;
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
    for (const count of counts) {
      this.events.emit('receipt.count', count);
      // One group's broadcast at a time: a flush reaching thousands of sockets at once would hold
      // up the messages being delivered meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    }
    stopTimer();
    this.logger.debug(`flushed ${batch.reads.length} reads in ${conversationIds.length} conversations`);
    return { reads: batch.reads.length, conversations: conversationIds.length };
  }

  async receiptsFor(userId: string, messageId: string): Promise<MessageReceipts> {
    const message = await this.messages.findById(messageId);
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
