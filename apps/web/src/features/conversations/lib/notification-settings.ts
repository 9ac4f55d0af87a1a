import {
  type Conversation,
  type ConversationNotifications,
  LARGE_GROUP_MIN,
  type NotificationDefaults,
  type NotificationLevel,
  type UpdateConversationNotificationsRequest,
} from '@chat/shared';

const HOUR = 60 * 60 * 1000;

export const LEVEL_LABELS: Record<NotificationLevel, string> = {
  all: 'All messages',
  mentions: 'Mentions only',
  none: 'Nothing',
};

export const MUTE_DURATIONS = [
  { label: 'Mute for 1 hour', ms: HOUR },
  { label: 'Mute for 8 hours', ms: 8 * HOUR },
  { label: 'Mute for 1 day', ms: 24 * HOUR },
  { label: 'Mute for 1 week', ms: 7 * 24 * HOUR },
] as const;

/**
 * Whether the conversation is muted at `now`. The server reads an expired mute as null, but a list
 * loaded an hour ago still holds the old time, so the client compares as well.
 */
export function isMuted(notifications: ConversationNotifications, now: number): boolean {
  return notifications.mutedUntil !== null && Date.parse(notifications.mutedUntil) > now;
}

/** Muted, or set to nothing: its unread count is shown greyed, as something that will not call for attention. */
export function isQuiet(notifications: ConversationNotifications, now: number): boolean {
  return notifications.level === 'none' || isMuted(notifications, now);
}

/**
 * The level "Use default" would give: the level itself when the conversation follows the default,
 * else the user's default for its kind and size (unknown until the settings are loaded).
 */
export function defaultLevelOf(
  conversation: Pick<Conversation, 'type' | 'participantCount' | 'notifications'>,
  defaults: NotificationDefaults | undefined,
): NotificationLevel | undefined {
  if (!conversation.notifications.custom) return conversation.notifications.level;
  if (!defaults) return undefined;
  if (conversation.type === 'direct') return defaults.direct;
  return conversation.participantCount >= LARGE_GROUP_MIN ? defaults.largeGroup : defaults.group;
}

/** The request that changes only the mute: the level must be sent, so the current one (or "default") goes with it. */
export function muteRequest(notifications: ConversationNotifications, mutedUntil: string | null): UpdateConversationNotificationsRequest {
  return { level: notifications.custom ? notifications.level : 'default', mutedUntil };
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "Muted until 18:30" today, "Muted until Sat 5 Dec, 18:30" later. */
export function mutedUntilLabel(mutedUntil: string, now: number): string {
  const end = new Date(mutedUntil);
  const sameDay = end.toDateString() === new Date(now).toDateString();
  return `Muted until ${(sameDay ? timeFormat : dayTimeFormat).format(end)}`;
}
