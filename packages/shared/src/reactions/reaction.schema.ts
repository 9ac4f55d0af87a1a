import { z } from 'zod';
import { uuidSchema } from '../common/id.schema';
import { publicUserSchema } from '../users/user.schema';
import { normalizeReactionEmoji } from './reaction-emoji';

/** At most this many different emoji on one message; more people may still add the existing ones. */
export const REACTION_DISTINCT_MAX = 20;
/** How many reactors of each emoji GET .../reactions names. */
export const REACTION_USERS_MAX = 50;

const REACTION_EMOJI_MESSAGE = 'emoji must be one emoji or a known shortcode such as :+1:';

/** One emoji (a single grapheme) or a shortcode of REACTION_SHORTCODES; parses to the stored form. */
export const reactionEmojiSchema = z
  .string({ error: REACTION_EMOJI_MESSAGE })
  .max(64, { error: REACTION_EMOJI_MESSAGE })
  .transform((value, ctx) => {
    const emoji = normalizeReactionEmoji(value);
    if (emoji === null) {
      ctx.addIssue({ code: 'custom', message: REACTION_EMOJI_MESSAGE });
      return z.NEVER;
    }
    return emoji;
  });

/** One emoji on a message, as the viewer sees it. */
export const messageReactionSchema = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  /** Whether the viewer is among those who reacted with it. */
  me: z.boolean(),
});

/** One emoji on a message, as everyone sees it (the `message:reactions` event). */
export const reactionTotalSchema = messageReactionSchema.omit({ me: true });

/** PUT / DELETE /api/conversations/:id/messages/:messageId/reactions/:emoji (the emoji URL-encoded). */
export const reactionParamSchema = z.object({ id: uuidSchema, messageId: uuidSchema, emoji: reactionEmojiSchema });

/** `reaction:add` / `reaction:remove`. */
export const reactionEventSchema = z.object({ conversationId: uuidSchema, messageId: uuidSchema, emoji: reactionEmojiSchema });

/** The answer to a reaction change (REST and socket ack): the message's reactions after it, for the caller. */
export const reactionStateSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
  reactionsVersion: z.number().int().min(0),
  /** Ordered by when each emoji was first added. */
  reactions: z.array(messageReactionSchema),
});

/** Sent to the conversation after every change; clients apply it only when reactionsVersion is newer than theirs. */
export const messageReactionsEventSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
  reactionsVersion: z.number().int().positive(),
  reactions: z.array(reactionTotalSchema),
  /** What changed: `me` of change.emoji flips for the viewer who is change.userId. */
  change: z.object({ userId: uuidSchema, emoji: z.string(), on: z.boolean() }),
});

/** GET /api/conversations/:id/messages/:messageId/reactions: who reacted with what. */
export const reactionUsersSchema = z.object({
  emoji: z.string(),
  /** The first REACTION_USERS_MAX to react with it, in the order they did. */
  users: z.array(publicUserSchema),
  count: z.number().int().positive(),
});
export const reactionUsersListSchema = z.array(reactionUsersSchema);

export type MessageReaction = z.infer<typeof messageReactionSchema>;
export type ReactionTotal = z.infer<typeof reactionTotalSchema>;
export type ReactionEvent = z.input<typeof reactionEventSchema>;
export type ReactionState = z.infer<typeof reactionStateSchema>;
export type MessageReactionsEvent = z.infer<typeof messageReactionsEventSchema>;
export type ReactionUsers = z.infer<typeof reactionUsersSchema>;
