import type { PresenceUpdateEvent } from '@chat/shared';

export const PresenceEvent = {
  /** A user's visible status changed; deliver to `recipientIds`. */
  Changed: 'presence.changed',
} as const;

export interface PresenceChangedEvent {
  update: PresenceUpdateEvent;
  recipientIds: string[];
}
