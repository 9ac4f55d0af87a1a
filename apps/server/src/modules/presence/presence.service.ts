import { Injectable, Logger } from '@nestjs/common';
import type { Presence, PresenceSharing, PresenceUpdateEvent } from '@chat/shared';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { DomainEventBus, OnDomainEvent } from '../../common/events/domain-event-bus';
import type { DomainEvents, PresenceSharedEvent, PresenceWithdrawnEvent } from '../../common/events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceRepository } from './presence.repository';
import { type CurrentPresence, type DeviceStatus, PresenceStore, type PresenceTransition } from './presence.store';

interface Privacy {
  presenceEnabled: boolean;
  presenceSharing: PresenceSharing;
}

/** Who may see a user's status: disabled presence and "nobody" are the same thing. */
const audienceOf = (p: Privacy): PresenceSharing => (p.presenceEnabled ? p.presenceSharing : 'nobody');

/**
 * Online / away / offline per user across devices. Transitions, never heartbeats, are announced,
 * to the sockets that subscribed to the user and may see them under the user's privacy settings;
 * privacy and membership changes move those sockets in or out (the presence.* domain events).
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger(PresenceService.name);

  constructor(
    private readonly store: PresenceStore,
    private readonly repository: PresenceRepository,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  // Presence is best effort: a Redis outage must not cost anyone their connection or their messages.
  async deviceConnected(userId: string, deviceId: string): Promise<void> {
    await this.apply(await this.bestEffort(() => this.store.touch(userId, deviceId, 'online', Date.now(), this.config.presenceTtlMs, true)));
  }

  async heartbeat(userId: string, deviceId: string, status: DeviceStatus): Promise<void> {
    await this.apply(await this.bestEffort(() => this.store.touch(userId, deviceId, status, Date.now(), this.config.presenceTtlMs)));
  }

  async deviceDisconnected(userId: string, deviceId: string): Promise<void> {
    await this.apply(await this.bestEffort(() => this.store.remove(userId, deviceId, Date.now())));
  }

  private async bestEffort<T>(run: () => Promise<T | null>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      this.logger.warn({ msg: 'presence store unavailable', err: error });
      return null;
    }
  }

  /**
   * The live devices (socket ids) of each user, or null when the store cannot say (then callers
   * assume there may be devices they do not know of).
   */
  async liveDevices(userIds: string[]): Promise<Map<string, string[]> | null> {
    if (userIds.length === 0) return new Map();
    return this.bestEffort(() => this.store.liveDevices(userIds, Date.now()));
  }

  /** Devices whose heartbeats stopped without a disconnect (a dead node or client). */
  async sweep(): Promise<number> {
    const transitions = await this.store.sweep(Date.now());
    for (const transition of transitions) await this.apply(transition);
    return transitions.length;
  }

  async presenceOf(viewerId: string, userId: string): Promise<Presence> {
    const [presence] = await this.presencesOf(viewerId, [userId]);
    if (!presence) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
    return presence;
  }

  /** What `viewerId` may see of each user; unknown ids are left out. */
  async presencesOf(viewerId: string, userIds: string[]): Promise<Presence[]> {
    return (await this.view(viewerId, userIds)).presences;
  }

  /** Presences as `viewerId` may see them, and which of those users they may see at all. */
  async view(viewerId: string, userIds: string[]): Promise<{ presences: Presence[]; visible: Set<string> }> {
    const privacy = await this.withVisibility(viewerId, userIds);
    const current = await this.store.current(
      privacy.map((p) => p.id),
      Date.now(),
    );
    const presences = privacy.map((p) => {
      const now = current.get(p.id) ?? { status: 'offline' as const, lastActivity: 0 };
      if (!p.visible) return { userId: p.id, status: 'offline' as const, lastActivity: null, lastSeenAt: null };
      return {
        userId: p.id,
        status: now.status,
        lastActivity: now.status === 'offline' ? null : new Date(now.lastActivity).toISOString(),
        lastSeenAt: now.status === 'offline' && p.lastSeenAt ? p.lastSeenAt.toISOString() : null,
      };
    });
    return { presences, visible: new Set(privacy.filter((p) => p.visible).map((p) => p.id)) };
  }

  /** Which of `userIds` `viewerId` may see the status of (no presence store read). */
  async visibleTo(viewerId: string, userIds: string[]): Promise<Set<string>> {
    return new Set((await this.withVisibility(viewerId, userIds)).filter((p) => p.visible).map((p) => p.id));
  }

  private async withVisibility(viewerId: string, userIds: string[]) {
    const privacy = await this.repository.privacyOf(userIds);
    const friendsOnly = privacy.filter((p) => audienceOf(p) === 'friends' && p.id !== viewerId).map((p) => p.id);
    const contacts = new Set(await this.repository.contactsOf(viewerId, friendsOnly));
    return privacy.map((p) => {
      const audience = audienceOf(p);
      return { ...p, visible: p.id === viewerId || audience === 'everyone' || (audience === 'friends' && contacts.has(p.id)) };
    });
  }

  /**
   * Hiding makes the user look offline to every watcher at once; narrowing to "friends" does so to
   * watchers who are not contacts; opening up lets the watchers who may now see them in.
   */
  @OnDomainEvent('user.settings-changed')
  async onSettingsChanged({ userId, before, after }: DomainEvents['user.settings-changed']): Promise<void> {
    const was = audienceOf(before);
    const now = audienceOf(after);
    if (was === now) return;
    await this.guarded(async () => {
      if (now === 'nobody') return this.withdraw({ userId, from: { allBut: [] } });
      if (now === 'friends' && was === 'everyone') return this.withdraw({ userId, from: { allBut: await this.repository.contactsOf(userId) } });
      const among = now === 'everyone' ? 'all' : { userIds: await this.repository.contactsOf(userId) };
      const current = (await this.bestEffort(() => this.store.current([userId], Date.now())))?.get(userId);
      this.share({ userId, among, update: current ? liveUpdate(userId, current) : null });
    });
  }

  /** New co-members may see each other's "friends" presence: let in those who already watch. */
  @OnDomainEvent('conversation.created')
  async onConversationCreated({ conversationId, userIds }: DomainEvents['conversation.created']): Promise<void> {
    await this.guarded(() => this.shareWithConversation(conversationId, userIds));
  }

  @OnDomainEvent('conversation.members-added')
  async onMembersAdded({ conversationId, addedUserIds, existingUserIds }: DomainEvents['conversation.members-added']): Promise<void> {
    await this.guarded(() => this.shareWithConversation(conversationId, [...existingUserIds, ...addedUserIds]));
  }

  /**
   * Someone who no longer shares any conversation with the leaver stops seeing a "friends" status,
   * both ways. People who still share another conversation keep it.
   */
  @OnDomainEvent('conversation.member-left')
  async onMemberLeft({ userId, remainingUserIds }: DomainEvents['conversation.member-left']): Promise<void> {
    await this.guarded(async () => {
      const stillContacts = new Set(await this.repository.contactsOf(userId, remainingUserIds));
      const parted = remainingUserIds.filter((id) => !stillContacts.has(id));
      if (parted.length === 0) return;
      for (const p of await this.friendsOnly([userId, ...parted])) {
        this.withdraw({ userId: p, from: { userIds: p === userId ? parted : [userId] } });
      }
    });
  }

  @OnDomainEvent('conversation.deleted')
  async onConversationDeleted({ userIds }: DomainEvents['conversation.deleted']): Promise<void> {
    await this.guarded(async () => {
      for (const id of await this.friendsOnly(userIds)) {
        const stillContacts = new Set(await this.repository.contactsOf(id, userIds));
        const parted = userIds.filter((other) => other !== id && !stillContacts.has(other));
        if (parted.length > 0) this.withdraw({ userId: id, from: { userIds: parted } });
      }
    });
  }

  private async shareWithConversation(conversationId: string, userIds: string[]): Promise<void> {
    const friendsOnly = await this.friendsOnly(userIds);
    if (friendsOnly.length === 0) return;
    const current = await this.bestEffort(() => this.store.current(friendsOnly, Date.now()));
    for (const id of friendsOnly) {
      const now = current?.get(id);
      this.share({ userId: id, among: { conversationId }, update: now ? liveUpdate(id, now) : null });
    }
  }

  private async friendsOnly(userIds: string[]): Promise<string[]> {
    return (await this.repository.privacyOf(userIds)).filter((p) => audienceOf(p) === 'friends').map((p) => p.id);
  }

  private share(event: PresenceSharedEvent): void {
    this.events.emit('presence.shared', event);
  }

  private withdraw(event: PresenceWithdrawnEvent): void {
    this.events.emit('presence.withdrawn', event);
  }

  /** Listeners run outside any request: a failure is logged, never left unhandled. */
  private async guarded(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.error(error);
    }
  }

  private async apply(transition: PresenceTransition | null): Promise<void> {
    if (!transition) return;
    const { userId, status } = transition;
    await this.guarded(async () => {
      // One row, and no contacts: the presence room already holds exactly who may see this user.
      const [privacy] = await this.repository.privacyOf([userId]);
      if (!privacy) return;
      this.metrics.presenceTransitions.inc({ status });
      const now = new Date();
      if (status === 'offline') await this.repository.markLastSeen(userId, now);
      // Someone who hides their presence is always offline to others: nothing to announce.
      if (audienceOf(privacy) === 'nobody') return;
      const update = liveUpdate(userId, transition) ?? { userId, status: 'offline' as const, lastSeenAt: now.toISOString() };
      this.events.emit('presence.changed', { update });
    });
  }
}

/** An online or away status as an update; null when offline. */
function liveUpdate(userId: string, { status, lastActivity }: CurrentPresence): PresenceUpdateEvent | null {
  if (status === 'offline') return null;
  return { userId, status, ...(lastActivity ? { lastActivity: new Date(lastActivity).toISOString() } : {}) };
}
