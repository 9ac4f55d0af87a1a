import { Injectable } from '@nestjs/common';
import type { ReactionState, ReactionUsers } from '@chat/shared';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { AppConfig } from '../../config/app-config';
import { RateLimiter } from '../../infra/rate-limit/rate-limiter';
import { ConversationsService } from '../conversations/conversations.service';
import { MessageRepository } from '../messages/message.repository';
import { MetricsService } from '../metrics/metrics.service';
import { ReactionRepository } from './reaction.repository';
import { reactionErrors } from './reactions.errors';

export interface ReactionTarget {
  conversationId: string;
  messageId: string;
  /** Already normalised by reactionEmojiSchema. */
  emoji: string;
}

/** Emoji reactions on messages, for the REST routes and the socket events alike. */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly reactions: ReactionRepository,
    private readonly messages: MessageRepository,
    private readonly conversations: ConversationsService,
    private readonly events: DomainEventBus,
    private readonly rateLimiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Adds (`on`) or removes the user's emoji. Idempotent: a duplicate add or the removal of nothing
   * changes nothing and answers the current state. A change is told to the conversation after it
   * committed.
   */
  async set(userId: string, target: ReactionTarget, on: boolean): Promise<ReactionState> {
    const { conversationId, messageId, emoji } = target;
    // Every change is a broadcast to the room: a bound per user keeps toggling from flooding it.
    const rule = { name: 'reaction', points: this.config.reactionRateLimit, durationSeconds: 10 };
    const verdict = await this.rateLimiter.consume(rule, userId);
    if (!verdict.allowed) {
      this.metrics.rateLimitHits.inc({ rule: rule.name });
      throw reactionErrors.rateLimited(verdict.retryAfterSeconds);
    }
    const outcome = await this.reactions.toggle({ conversationId, messageId, userId, emoji, on });
    if (outcome.kind === 'refused') throw await this.explainRefusal(userId, conversationId, messageId);
    if (outcome.kind === 'too-many') throw reactionErrors.tooMany();
    if (outcome.kind === 'unchanged') return this.state(userId, conversationId, messageId);
    const { reactionsVersion, reactions } = outcome;
    this.events.emit('message.reactions-changed', {
      conversationId,
      messageId,
      reactionsVersion,
      reactions: reactions.map(({ emoji: e, count }) => ({ emoji: e, count })),
      change: { userId, emoji, on },
    });
    return { conversationId, messageId, reactionsVersion, reactions };
  }

  /** Who reacted with what, for a participant. */
  async reactors(userId: string, conversationId: string, messageId: string): Promise<ReactionUsers[]> {
    await this.requireReactable(userId, conversationId, messageId);
    return this.reactions.reactors(messageId);
  }

  private async state(userId: string, conversationId: string, messageId: string): Promise<ReactionState> {
    const message = await this.requireReactable(userId, conversationId, messageId);
    const totals = await this.reactions.totals(null, [messageId], userId);
    return { conversationId, messageId, reactionsVersion: message.reactionsVersion, reactions: totals.get(messageId) ?? [] };
  }

  private async requireReactable(userId: string, conversationId: string, messageId: string) {
    await this.conversations.requireParticipant(userId, conversationId);
    const message = await this.messages.findById(messageId);
    if (!message || message.conversationId !== conversationId) throw reactionErrors.messageNotFound();
    if (message.contentType === 'system') throw reactionErrors.systemMessage();
    if (message.deletedAt) throw reactionErrors.deleted();
    return message;
  }

  /** Only on the failure path: 404 (conversation or message) or 403 (not a member, system message). */
  private async explainRefusal(userId: string, conversationId: string, messageId: string) {
    try {
      await this.requireReactable(userId, conversationId, messageId);
    } catch (error) {
      return error;
    }
    // Reactable now: the user joined or the message appeared after the write was refused.
    return reactionErrors.messageNotFound();
  }
}
