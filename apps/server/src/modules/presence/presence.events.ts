import type { PresenceUpdateEvent } from '@chat/shared';

/**
 * Who hears a user's presence is decided per watcher: each socket that subscribed to a user and may
 * see them is in that user's presence room. These events change the room or emit to it.
 */
export const PresenceEvent = {
  /** A user's status changed: tell the watchers who may see them. */
  Changed: 'presence.changed',
  /** More people may see a user now: let in the watchers among them, and tell them the status. */
  Shared: 'presence.shared',
  /** Fewer people may see a user now: every other watcher sees them go offline and is let out. */
  Withdrawn: 'presence.withdrawn',
} as const;

export interface PresenceChangedEvent {
  update: PresenceUpdateEvent;
}

export interface PresenceSharedEvent {
  userId: string;
  /** Which watchers may now see them: all, those who are these users, or those in this conversation. */
  among: 'all' | { userIds: string[] } | { conversationId: string };
  /** What the newcomers are told; null when offline (they already show offline). */
  update: PresenceUpdateEvent | null;
}

export interface PresenceWithdrawnEvent {
  userId: string;
  /** Which watchers may no longer see them: all but these users (and the user's own sockets), or these users. */
  from: { allBut: string[] } | { userIds: string[] };
}
