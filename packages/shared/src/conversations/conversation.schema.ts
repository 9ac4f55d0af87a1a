import { z } from 'zod';
import { isoDateTimeSchema, NO_NUL_MESSAGE, NOT_WELL_FORMED_MESSAGE, noNul, uuidSchema, wellFormed } from '../common/id.schema';
import { systemEventSchema } from '../messages/message.schema';
import { conversationNotificationsSchema } from '../notifications/notification.schema';
import { publicUserSchema } from '../users/user.schema';

export const CONVERSATION_TITLE_MAX = 100;
export const GROUP_MAX_PARTICIPANTS = 1000;
export const CONVERSATION_PAGE_DEFAULT = 50;
export const CONVERSATION_PAGE_MAX = 100;
export const MESSAGE_PREVIEW_LENGTH = 100;

export const conversationTypeSchema = z.enum(['direct', 'group']);
export const participantRoleSchema = z.enum(['owner', 'member']);

const titleSchema = z
  .string({ error: 'Title is required' })
  .trim()
  .min(1, { error: 'Title is required' })
  .max(CONVERSATION_TITLE_MAX, { error: `Title must be at most ${CONVERSATION_TITLE_MAX} characters` })
  .refine(noNul, { error: `Title ${NO_NUL_MESSAGE}` })
  .refine(wellFormed, { error: `Title ${NOT_WELL_FORMED_MESSAGE}` });

/** Participant ids other than the caller; the caller's own id may be listed and is ignored. */
const participantIdsSchema = z.array(uuidSchema, { error: 'participantIds must be a list of user ids' });

export const createConversationRequestSchema = z
  .object({
    type: conversationTypeSchema,
    /** Required for groups; ignored for direct conversations. */
    title: titleSchema.optional(),
    /** Everyone else in it: exactly one person for a direct conversation. */
    participantIds: participantIdsSchema
      .min(1, { error: 'List at least one other person' })
      .max(GROUP_MAX_PARTICIPANTS, { error: `A group has at most ${GROUP_MAX_PARTICIPANTS} participants` }),
    /** Public groups can be joined by anyone who has the id; invite-only groups only by being added. */
    isPublic: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    if (value.type === 'group' && value.title === undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'A group needs a title' });
    }
  });

export const updateConversationRequestSchema = z
  .object({
    title: titleSchema.optional(),
    isPublic: z.boolean().optional(),
  })
  .refine((value) => value.title !== undefined || value.isPublic !== undefined, { error: 'Nothing to update' });

export const addParticipantsRequestSchema = z.object({
  userIds: z.array(uuidSchema).min(1).max(100),
});

export const conversationIdParamSchema = z.object({ id: uuidSchema });
export const participantParamSchema = z.object({ id: uuidSchema, userId: uuidSchema });

export const listConversationsQuerySchema = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(CONVERSATION_PAGE_MAX, { error: `limit must be at most ${CONVERSATION_PAGE_MAX}` })
    .default(CONVERSATION_PAGE_DEFAULT),
});

export const messagePreviewSchema = z.object({
  id: uuidSchema,
  seq: z.number().int(),
  senderId: uuidSchema,
  senderName: z.string(),
  /** First 100 characters; empty when the message was deleted. */
  preview: z.string(),
  deleted: z.boolean(),
  /** Names of the files the message carries, in upload order; empty when none or deleted. */
  attachmentNames: z.array(z.string()),
  createdAt: isoDateTimeSchema,
  /** The change, when the last message is a system message, so the preview can say "You". */
  system: systemEventSchema.nullable().optional(),
});

export const conversationSchema = z.object({
  id: uuidSchema,
  type: conversationTypeSchema,
  /** Group title; null for direct conversations (show `peer.displayName`). */
  title: z.string().nullable(),
  isPublic: z.boolean(),
  ownerId: uuidSchema.nullable(),
  /** The other person of a direct conversation. */
  peer: publicUserSchema.nullable(),
  role: participantRoleSchema,
  participantCount: z.number().int(),
  lastSeq: z.number().int(),
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
  /** Unread messages (above lastReadSeq, not deleted, not your own) that mention you or everyone. */
  mentionCount: z.number().int(),
  /** The caller's notification level and mute for this conversation. */
  notifications: conversationNotificationsSchema,
  lastMessage: messagePreviewSchema.nullable(),
  lastActivityAt: isoDateTimeSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});

export const participantSchema = z.object({
  user: publicUserSchema,
  role: participantRoleSchema,
  joinedAt: isoDateTimeSchema,
  /** Their read marker; null when they hide read receipts (your own is always shown). */
  lastReadSeq: z.number().int().nullable(),
});

export const conversationDetailSchema = conversationSchema.extend({
  participants: z.array(participantSchema),
});

export const conversationPageSchema = z.object({
  conversations: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});

/**
 * GET /api/conversations/:id/preview: what an invite link shows before joining. Answered for
 * public groups (to anyone signed in) and for conversations the user is in; 404 otherwise.
 */
export const conversationPreviewSchema = z.object({
  id: uuidSchema,
  type: conversationTypeSchema,
  title: z.string().nullable(),
  isPublic: z.boolean(),
  participantCount: z.number().int(),
  /** Whether the asking user is a current participant. */
  isMember: z.boolean(),
});

export const userSearchQuerySchema = z.object({
  q: z
    .string({ error: 'q is required' })
    .trim()
    .min(1, { error: 'q is required' })
    .max(100)
    .refine(noNul, { error: `q ${NO_NUL_MESSAGE}` })
    .refine(wellFormed, { error: `q ${NOT_WELL_FORMED_MESSAGE}` }),
});

export const userSearchResponseSchema = z.object({ users: z.array(publicUserSchema) });

export type ConversationType = z.infer<typeof conversationTypeSchema>;
export type ParticipantRole = z.infer<typeof participantRoleSchema>;
export type CreateConversationRequest = z.input<typeof createConversationRequestSchema>;
export type UpdateConversationRequest = z.infer<typeof updateConversationRequestSchema>;
export type AddParticipantsRequest = z.infer<typeof addParticipantsRequestSchema>;
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;
export type MessagePreview = z.infer<typeof messagePreviewSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
export type ConversationPage = z.infer<typeof conversationPageSchema>;
export type ConversationPreview = z.infer<typeof conversationPreviewSchema>;
export type UserSearchResponse = z.infer<typeof userSearchResponseSchema>;
