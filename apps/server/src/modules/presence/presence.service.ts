import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { Presence, PresenceSharing } from '@chat/shared';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { MetricsService } from '../metrics/metrics.service';
import { UserEvent, type UserSettingsChangedEvent } from '../users/user.events';
import { PresenceEvent, type PresenceChangedEvent } from './presence.events';
import { PresenceRepository } from './presence.repository';
import { type DeviceStatus, type PresenceState, PresenceStore, type PresenceTransition } from './presence.store';

interface Privacy {
  presenceEnabled: boolean;
  presenceSharing: PresenceSharing;
}

const hidden = (p: Privacy) => !p.presenceEnabled || p.presenceSharing === 'nobody';

/**
 * Online / away / offline per user across devices. Transitions, never heartbeats, are announced,
 * and only to people who share a conversation with the user, as their privacy settings allow.
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger(PresenceService.name);

  constructor(
    private readonly store: PresenceStore,
    private readonly repository: PresenceRepository,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  // Presence is best effort: a Redis outage must not cost anyone their connection or their messages.
  async deviceConnected(userId: string, deviceId: string): Promise<void> {
    await this.apply(await this.bestEffort(() => this.store.touch(userId, deviceId, 'online', Date.now(), this.config.presenceTtlMs)));
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
    const privacy = await this.repository.privacyOf(userIds);
    const friendsOnly = privacy.filter((p) => p.presenceSharing === 'friends' && p.id !== viewerId).map((p) => p.id);
    const contacts = new Set(await this.repository.contactsOf(viewerId, friendsOnly));
    const current = await this.store.current(privacy.map((p) => p.id), Date.now());
    return privacy.map((p) => {
      const visible = p.id === viewerId || (!hidden(p) && (p.presenceSharing === 'everyone' || contacts.has(p.id)));
      const now = current.get(p.id) ?? { status: 'offline' as const, lastActivity: 0 };
      if (!visible) return { userId: p.id, status: 'offline' as const, lastActivity: null, lastSeenAt: null };
      return {
        userId: p.id,
        status: now.status,
        lastActivity: now.status === 'offline' ? null : new Date(now.lastActivity).toISOString(),
        lastSeenAt: now.status === 'offline' && p.lastSeenAt ? p.lastSeenAt.toISOString() : null,
      };
    });
  }

  /** Turning sharing off makes the user look offline at once; turning it on shows their real status. */
  @OnEvent(UserEvent.SettingsChanged)
  async onSettingsChanged({ userId, before, after }: UserSettingsChangedEvent): Promise<void> {
    if (hidden(before) === hidden(after)) return;
    const current = (await this.store.current([userId], Date.now())).get(userId);
    if (!current || current.status === 'offline') return;
    await this.announce(userId, hidden(after) ? 'offline' : current.status, current.lastActivity, after, true);
  }

  private async apply(transition: PresenceTransition | null): Promise<void> {
    if (!transition) return;
    try {
      const [privacy] = await this.repository.privacyOf([transition.userId]);
      if (!privacy) return;
      await this.announce(transition.userId, transition.status, transition.lastActivity, privacy, false);
    } catch (error) {
      this.logger.error(error);
    }
  }

  private async announce(userId: string, status: PresenceState, lastActivity: number, privacy: Privacy, settingsChange: boolean): Promise<void> {
    const now = new Date();
    this.metrics.presenceTransitions.inc({ status });
    if (status === 'offline' && !settingsChange) await this.repository.markLastSeen(userId, now);
    // Someone who hides their presence is always offline to others: nothing to announce.
    if (hidden(privacy) && !settingsChange) return;
    const recipientIds = await this.repository.contactsOf(userId);
    if (recipientIds.length === 0) return;
    const showLastSeen = status === 'offline' && !hidden(privacy);
    this.events.emit(PresenceEvent.Changed, {
      update: {
        userId,
        status,
        ...(status !== 'offline' && lastActivity ? { lastActivity: new Date(lastActivity).toISOString() } : {}),
        ...(showLastSeen ? { lastSeenAt: now.toISOString() } : {}),
      },
      recipientIds,
    } satisfies PresenceChangedEvent);
  }
}
