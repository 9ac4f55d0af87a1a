import { Injectable } from '@nestjs/common';
import type { ListThreadsQuery, ThreadPage, ThreadReadState } from '@chat/shared';
import { z } from 'zod';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagesService } from '../messages/messages.service';
import { ThreadFollowRepository, type ThreadListCursor } from './thread-follow.repository';

const cursorSchema: z.ZodType<ThreadListCursor> = z.object({ u: z.union([z.literal(0), z.literal(1)]), t: z.string().min(1).max(64), id: z.uuid() });

/** Following threads and reading them. Replies themselves are written by MessagesService (one send path). */
@Injectable()
export class ThreadsService {
  constructor(
    private readonly follows: ThreadFollowRepository,
    private readonly messages: MessagesService,
    private readonly conversations: ConversationsService,
    private readonly events: DomainEventBus,
    private readonly cursors: CursorCodec,
  ) {}

  /** Moves the reader's thread marker forward to `seq` and tells their other devices. */
  async read(userId: string, conversationId: string, rootId: string, seq: number, origin: { socketId?: string } = {}): Promise<ThreadReadState> {
    await this.requireRoot(userId, conversationId, rootId);
    const following = await this.follows.markRead(userId, rootId, seq);
    const state = await this.state(userId, conversationId, rootId);
    if (following) this.events.emit('thread.read', { ...state, userId, originSocketId: origin.socketId });
    return state;
  }

  async follow(userId: string, conversationId: string, rootId: string): Promise<ThreadReadState> {
    await this.requireRoot(userId, conversationId, rootId);
    await this.follows.follow(userId, conversationId, rootId);
    return this.state(userId, conversationId, rootId);
  }

  async unfollow(userId: string, conversationId: string, rootId: string): Promise<void> {
    await this.requireRoot(userId, conversationId, rootId);
    await this.follows.unfollow(userId, rootId);
  }

  async list(userId: string, query: ListThreadsQuery): Promise<ThreadPage> {
    const after = query.cursor === undefined ? undefined : this.cursors.decode(query.cursor, cursorSchema);
    const rows = await this.follows.listForUser(userId, query.limit, after);
    const page = rows.slice(0, query.limit);
    const roots = new Map(
      (
        await this.messages.findDtos(
          page.map((row) => row.rootId),
          userId,
        )
      ).map((root) => [root.id, root]),
    );
    return {
      threads: page.flatMap((row) => {
        const root = roots.get(row.rootId);
        if (!root) return [];
        return [
          {
            conversationId: row.conversationId,
            root,
            thread: root.thread ?? { replyCount: 0, lastReplyAt: null, participantIds: [] },
            lastReadSeq: row.lastReadSeq,
            unreadCount: row.unreadCount,
          },
        ];
      }),
      nextCursor: rows.length > query.limit ? this.cursors.encode(page.at(-1)!.cursor) : null,
    };
  }

  private async requireRoot(userId: string, conversationId: string, rootId: string): Promise<void> {
    await this.conversations.requireParticipant(userId, conversationId);
    await this.messages.requireThreadRoot(conversationId, rootId);
  }

  private async state(userId: string, conversationId: string, rootId: string): Promise<ThreadReadState> {
    const row = await this.follows.state(userId, conversationId, rootId);
    return {
      conversationId,
      rootId,
      following: row?.lastReadSeq !== null && row?.lastReadSeq !== undefined,
      lastReadSeq: row?.lastReadSeq ?? 0,
      unreadCount: row?.unreadCount ?? 0,
      mentionCount: row?.mentionCount ?? 0,
    };
  }
}
