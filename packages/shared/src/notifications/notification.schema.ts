import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';

export const NOTIFICATION_LEVELS = ['all', 'mentions', 'none'] as const;
/** Groups with at least this many participants follow the user's large-group default. */
export const LARGE_GROUP_MIN = 10;
/** How far ahead a conversation may be muted: a year, leap day included. */
export const MUTE_MAX_MS = 366 * 24 * 60 * 60 * 1000;

export const notificationLevelSchema = z.enum(NOTIFICATION_LEVELS, { error: 'level must be "all", "mentions" or "none"' });

/** The caller's notification state of one conversation. */
export const conversationNotificationsSchema = z.object({
  /** The level in effect: the one set for this conversation, else the user's default for its kind and size. */
  level: notificationLevelSchema,
  /** False when `level` comes from the user's defaults. */
  custom: z.boolean(),
  /** Muted until then (nothing notifies, the unread count shows greyed); null when not muted or the mute has ended. */
  mutedUntil: isoDateTimeSchema.nullable(),
});

/**
 * Whether a mute end is acceptable at `now`: in the future and at most a year ahead. A function of
 * `now` so the rule can be tested without a clock.
 */
export function isAcceptableMuteEnd(value: string, now: number): boolean {
  const end = Date.parse(value);
  return end > now && end - now <= MUTE_MAX_MS;
}

export const updateConversationNotificationsRequestSchema = z.object({
  /** 'default' drops the conversation's own level, so it follows the user's defaults again. */
  level: z.union([notificationLevelSchema, z.literal('default')], { error: 'level must be "all", "mentions", "none" or "default"' }),
  /** Mute until then (in the future, at most a year ahead); null unmutes; omitted keeps the mute as it is. */
  mutedUntil: isoDateTimeSchema
    .refine((value) => isAcceptableMuteEnd(value, Date.now()), { error: 'mutedUntil must be in the future and at most a year ahead' })
    .nullable()
    .optional(),
});

/** The levels of conversations without one of their own. */
export const notificationDefaultsSchema = z.object({
  direct: notificationLevelSchema,
  /** Groups under LARGE_GROUP_MIN participants. */
  group: notificationLevelSchema,
  /** Groups of LARGE_GROUP_MIN participants or more. */
  largeGroup: notificationLevelSchema,
});

/** `conversation:notifications`: the user changed a conversation's notifications (to their other devices). */
export const conversationNotificationsEventSchema = z.object({
  conversationId: uuidSchema,
  notifications: conversationNotificationsSchema,
});

export type NotificationLevel = z.infer<typeof notificationLevelSchema>;
export type ConversationNotifications = z.infer<typeof conversationNotificationsSchema>;
export type UpdateConversationNotificationsRequest = z.infer<typeof updateConversationNotificationsRequestSchema>;
export type NotificationDefaults = z.infer<typeof notificationDefaultsSchema>;
export type ConversationNotificationsEvent = z.infer<typeof conversationNotificationsEventSchema>;
