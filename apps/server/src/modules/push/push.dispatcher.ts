import { Injectable, Logger } from '@nestjs/common';
import { MicroBatcher } from '../../common/batching/micro-batcher';
import type { Message } from '@chat/shared';
import { type DomainEvents } from '../../common/events/domain-events';
import { OnDomainEvent } from '../../common/events/domain-event-bus';
import { AppConfig } from '../../config/app-config';
import { ConversationRepository } from '../conversations/conversation.repository';
import { NotificationPolicy } from '../notifications/notification.policy';
import { PresenceStore } from '../presence/presence.store';
import { buildPushPayload } from './push-payload';
import { PushAudience } from './push-audience';
import { PushWorker } from './push.worker';

/**
 * Turns a stored message into push jobs: at once for those it notifies who have no live device on
 * any node, after the idle time for the others (sent then only if still unread). Runs on the node
 * that stored the message, once, and only queues: the send never waits for it.
 */
@Injectable()
export class PushDispatcher {
  private readonly logger = new Logger(PushDispatcher.name);

  constructor(
    private readonly policy: NotificationPolicy,
    private readonly presence: PresenceStore,
    private readonly conversations: ConversationRepository,
    private readonly audience: PushAudience,
    private readonly worker: PushWorker,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stored messages wait here and go through in batches, two at a time: a burst of sends keeps the
   * database connections for itself, and the rooms of a batch are looked up together.
   */
  private readonly pending = new MicroBatcher<Message, true>((batch) => this.dispatchAll(batch), { maxBatch: 50, maxConcurrent: 2 });

  @OnDomainEvent('message.created')
  onMessageCreated({ message, created }: DomainEvents['message.created']): void {
    // A resend broadcasts the stored message again; its pushes were queued by the first send.
    if (!created) return;
    this.pending.submit(message).catch((error: unknown) => this.logger.error(error, `could not queue the pushes of messages after ${message.id}`));
  }

  private async dispatchAll(batch: Message[]): Promise<true[]> {
    // Nobody in the room can be pushed to (the common case): answered from memory, and the policy is not asked.
    const audiences = await Promise.all(batch.map((message) => this.audience.subscribedMembers(message.conversationId, message.senderId)));
    for (const [index, message] of batch.entries()) {
      const subscribed = audiences[index]!;
      if (subscribed.size === 0) continue;
      await this.dispatch(message, subscribed).catch((error: unknown) => this.logger.error(error, `could not queue the pushes of message ${message.id}`));
    }
    return batch.map(() => true);
  }

  private async dispatch(message: Message, subscribed: ReadonlySet<string>): Promise<void> {
    const reachable = await this.policy.targetsOf(message, [...subscribed]);
    if (reachable.length === 0) return;
    const [conversation, live] = await Promise.all([
      this.conversations.findLive(message.conversationId),
      this.presence.liveDevices(
        reachable.map((target) => target.userId),
        Date.now(),
      ),
    ]);
    if (!conversation) return;
    for (const target of reachable) {
      const payload = buildPushPayload(message, conversation, target.preview && this.config.push.preview);
      const online = (live.get(target.userId)?.length ?? 0) > 0;
      this.worker.request(
        { messageId: message.id, conversationId: message.conversationId, seq: message.seq, userId: target.userId, urgent: target.urgent, payload, attempt: 1 },
        online ? this.config.push.idleMs : 0,
      );
    }
  }
}
