import { Injectable } from '@nestjs/common';
import type { SearchMessagesQuery, SearchMessagesResponse } from '@chat/shared';
import { z } from 'zod';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { AppConfig } from '../../config/app-config';
import { RateLimiter } from '../../infra/rate-limit/rate-limiter';
import { FileRepository } from '../files/file.repository';
import { MetricsService } from '../metrics/metrics.service';
import { toMessageDto } from '../messages/message.mapper';
import { ReactionRepository } from '../reactions/reaction.repository';
import { headlineMarkers, markedRanges, mergeRanges } from './highlights';
import { MessageSearchRepository } from './message-search.repository';
import { parseSearchQuery } from './search-query';
import { searchErrors } from './search.errors';

const cursorSchema = z.object({ createdAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), id: z.uuid() });

/** A search that takes longer is cancelled and answered 503. */
const SEARCH_TIMEOUT_MS = 3_000;

@Injectable()
export class SearchService {
  constructor(
    private readonly repository: MessageSearchRepository,
    private readonly files: FileRepository,
    private readonly reactions: ReactionRepository,
    private readonly cursors: CursorCodec,
    private readonly rateLimiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async searchMessages(userId: string, query: SearchMessagesQuery): Promise<SearchMessagesResponse> {
    const rule = { name: 'search', points: this.config.searchRateLimit, durationSeconds: 10 };
    const verdict = await this.rateLimiter.consume(rule, userId);
    if (!verdict.allowed) {
      this.metrics.rateLimitHits.inc({ rule: rule.name });
      throw searchErrors.rateLimited(verdict.retryAfterSeconds);
    }

    const search = parseSearchQuery(query.q);
    const after = query.cursor === undefined ? undefined : this.cursors.decode(query.cursor, cursorSchema);
    const markers = headlineMarkers();
    const hits = await this.repository.search(userId, search, {
      language: this.config.searchLanguage,
      limit: query.limit,
      after,
      markers,
      timeoutMs: SEARCH_TIMEOUT_MS,
      scanMessages: this.config.searchScanMessages,
    });
    const page = hits.slice(0, query.limit);
    const hasMore = hits.length > query.limit;
    // The files of the whole page in one query, after the search's snapshot: a hit's files are the ones it has now.
    const [files, reactions] = await Promise.all([
      this.files.findByMessages(page.map((hit) => hit.message.id)),
      this.reactions.totals(
        null,
        page.filter((hit) => hit.message.reactionsVersion > 0).map((hit) => hit.message.id),
        userId,
      ),
    ]);
    return {
      results: page.map((hit) => ({
        message: toMessageDto(
          hit.message,
          files.filter((file) => file.messageId === hit.message.id),
          reactions.get(hit.message.id),
        ),
        conversation: hit.conversation,
        highlights: mergeRanges([
          ...markedRanges(hit.message.content, hit.markedStemmed, markers),
          ...markedRanges(hit.message.content, hit.markedExact, markers),
        ]),
      })),
      nextCursor: hasMore ? this.cursors.encode(page.at(-1)!.cursor) : null,
      hasMore,
    };
  }
}
