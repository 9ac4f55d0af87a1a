import { Injectable, Logger } from '@nestjs/common';
import { MicroBatcher } from '../../common/batching/micro-batcher';
import { type DomainEvents } from '../../common/events/domain-events';
import { OnDomainEvent } from '../../common/events/domain-event-bus';
import { ClusterBroadcast } from '../../infra/cluster/cluster-broadcast';
import { TtlMap } from '../../infra/memory/ttl-map';
import { PushSubscriptionRepository } from './push-subscription.repository';

const CHANNEL = 'push-audience';
/** The signal that any user's subscriptions changed: every room's answer may be out of date. */
const EVERY_ROOM = '*';
/** A signal that never arrived costs at most this much of stale answers. */
const ENTRY_TTL_MS = 60_000;
/** Rooms remembered at once; past it the node forgets them all rather than grow. */
const MAX_ROOMS = 50_000;

/**
 * Which members of a room have a push subscription, remembered per node, so that a message in a
 * room where nobody can be pushed to (most of them) costs no query at all. Every node forgets a
 * room when its members change and every room when anyone subscribes or unsubscribes; see
 * docs/decisions.md ("Web Push") for why that is exact enough.
 */
@Injectable()
export class PushAudience {
  private readonly logger = new Logger(PushAudience.name);
  private readonly rooms = new TtlMap<string, ReadonlySet<string>>();
  /** Moves on every change: an answer read from the database before a change is not kept. */
  private epoch = 0;
  /** Rooms not remembered are asked about together: a burst over many rooms costs a few statements. */
  private readonly misses = new MicroBatcher<string, ReadonlySet<string>>(
    async (conversationIds) => {
      const found = await this.subscriptions.subscribedMembersOf([...new Set(conversationIds)]);
      return conversationIds.map((id) => found.get(id) ?? new Set<string>());
    },
    { maxBatch: 200, maxConcurrent: 2 },
  );

  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly broadcast: ClusterBroadcast,
  ) {
    broadcast.subscribe(
      CHANNEL,
      (conversationId) => this.forget(conversationId),
      () => this.forget(EVERY_ROOM),
    );
  }

  /** Members of the conversation with at least one push subscription, the sender left out. */
  async subscribedMembers(conversationId: string, senderId: string): Promise<ReadonlySet<string>> {
    let members = this.rooms.get(conversationId);
    if (!members) {
      const epoch = this.epoch;
      members = await this.misses.submit(conversationId);
      if (epoch === this.epoch) {
        if (this.rooms.size >= MAX_ROOMS) this.rooms.clear();
        this.rooms.set(conversationId, members, ENTRY_TTL_MS);
      }
    }
    if (!members.has(senderId)) return members;
    const others = new Set(members);
    others.delete(senderId);
    return others;
  }

  /** A user's subscriptions changed: resolves once every node has been told. */
  async subscriptionsChanged(): Promise<void> {
    await this.signal(EVERY_ROOM);
  }

  @OnDomainEvent('conversation.members-added')
  onMembersAdded({ conversationId }: DomainEvents['conversation.members-added']): void {
    void this.signal(conversationId);
  }

  @OnDomainEvent('conversation.member-left')
  onMemberLeft({ conversationId }: DomainEvents['conversation.member-left']): void {
    void this.signal(conversationId);
  }

  private async signal(conversationId: string): Promise<void> {
    await this.broadcast
      .publish(CHANNEL, conversationId)
      .catch((error: unknown) => this.logger.warn(error, 'could not tell the other nodes that push subscribers changed'));
  }

  private forget(conversationId: string): void {
    this.epoch += 1;
    if (conversationId === EVERY_ROOM) this.rooms.clear();
    else this.rooms.delete(conversationId);
  }
}
