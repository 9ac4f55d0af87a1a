import { z } from 'zod';
import { NO_NUL_MESSAGE, NOT_WELL_FORMED_MESSAGE, noNul, uuidSchema, wellFormed } from '../common/id.schema';
import { conversationTypeSchema } from '../conversations/conversation.schema';
import { messageSchema } from '../messages/message.schema';

export const SEARCH_QUERY_MAX = 256;
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;

/** GET /api/search/messages. `q` is parsed by the server (words, "phrases", -exclusions, operators). */
export const searchMessagesQuerySchema = z.object({
  q: z
    .string({ error: 'q must be text' })
    .max(SEARCH_QUERY_MAX, { error: `q must be at most ${SEARCH_QUERY_MAX} characters` })
    .refine(noNul, { error: `q ${NO_NUL_MESSAGE}` })
    .refine(wellFormed, { error: `q ${NOT_WELL_FORMED_MESSAGE}` }),
  /** The nextCursor of the previous page. */
  cursor: z.string().max(512, { error: 'Invalid cursor' }).optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(SEARCH_PAGE_MAX, { error: `limit must be at most ${SEARCH_PAGE_MAX}` })
    .default(SEARCH_PAGE_DEFAULT),
});

/** A matched word in `message.content`: UTF-16 offsets, end exclusive. */
export const searchHighlightSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });

export const searchResultSchema = z.object({
  message: messageSchema,
  conversation: z.object({
    id: uuidSchema,
    type: conversationTypeSchema,
    /** Group title; null for direct conversations. */
    title: z.string().nullable(),
  }),
  highlights: z.array(searchHighlightSchema),
});

export const searchMessagesResponseSchema = z.object({
  /** Newest first. */
  results: z.array(searchResultSchema),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});

export type SearchMessagesQuery = z.infer<typeof searchMessagesQuerySchema>;
export type SearchHighlight = z.infer<typeof searchHighlightSchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;
export type SearchMessagesResponse = z.infer<typeof searchMessagesResponseSchema>;
