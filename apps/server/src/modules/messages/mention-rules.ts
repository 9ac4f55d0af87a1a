import { EVERYONE_MENTION_OPEN_MAX, type Mentions } from '@chat/shared';

/** What the mention rules need to know about the conversation and the sender. */
export interface MentionFacts {
  type: 'direct' | 'group';
  participantCount: number;
  senderIsOwner: boolean;
  /** How many of the mentioned ids are current participants. */
  mentionedMembers: number;
}

/** Which rule a message's mentions break. */
export type MentionRefusal = 'not-members' | 'everyone-in-direct' | 'everyone-forbidden';

/**
 * The mention rules, in the order the client is told about them: only current members may be
 * named; `everyone` only in groups, and in groups over EVERYONE_MENTION_OPEN_MAX only by owners.
 * The send statement checks the same rules in SQL (MessageRepository); this tells which one failed.
 */
export function mentionRefusal(mentions: Mentions, facts: MentionFacts): MentionRefusal | null {
  if (facts.mentionedMembers < mentions.userIds.length) return 'not-members';
  if (!mentions.everyone) return null;
  if (facts.type !== 'group') return 'everyone-in-direct';
  if (facts.participantCount > EVERYONE_MENTION_OPEN_MAX && !facts.senderIsOwner) return 'everyone-forbidden';
  return null;
}

/** True when the message names anyone: only then does a send pay for the mention checks and rows. */
export const mentionsAnyone = (mentions: Mentions | undefined): mentions is Mentions =>
  mentions !== undefined && (mentions.userIds.length > 0 || mentions.everyone);
