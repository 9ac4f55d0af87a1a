import type { conversationParticipants as participants, conversations, users } from '@chat/db';
import { LARGE_GROUP_MIN, type NotificationLevel } from '@chat/shared';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/** A membership, its conversation and its user in whatever query needs the level. */
type Membership = Pick<typeof participants, 'notificationLevel' | 'mutedUntil'>;
type Conversation = Pick<typeof conversations, 'type' | 'participantCount'>;
type Member = Pick<typeof users, 'notifyDirect' | 'notifyGroup' | 'notifyLargeGroup'>;

/**
 * The one level rule: the conversation's own level, else the user's default for its kind and size.
 * Computed where it is read, never copied into memberships, so changing a default changes every
 * conversation without a level of its own at once, with no per-conversation write.
 */
export function effectiveLevelSql(p: Membership, c: Conversation, u: Member): SQL<NotificationLevel> {
  return sql<NotificationLevel>`coalesce(${p.notificationLevel}, case
    when ${c.type} = 'direct' then ${u.notifyDirect}
    when ${c.participantCount} >= ${sql.raw(String(LARGE_GROUP_MIN))} then ${u.notifyLargeGroup}
    else ${u.notifyGroup} end)`;
}

/** Muted now: a mute end in the past is the same as none. */
export function mutedNowSql(mutedUntil: SQLWrapper): SQL<boolean> {
  return sql<boolean>`(${mutedUntil} is not null and ${mutedUntil} > now())`;
}

/**
 * A membership's notification state as the API shows it: the level in effect, whether it is the
 * conversation's own, and the mute end while it is in the future (an expired one reads as none, so
 * clients need not compare clocks).
 */
export function notificationsSelection(p: Membership, c: Conversation, u: Member) {
  return {
    level: effectiveLevelSql(p, c, u),
    custom: sql<boolean>`${p.notificationLevel} is not null`,
    mutedUntil: sql<Date | null>`case when ${mutedNowSql(p.mutedUntil)} then ${p.mutedUntil} end`.mapWith(p.mutedUntil),
  };
}

export type NotificationsRow = { level: NotificationLevel; custom: boolean; mutedUntil: Date | null };
