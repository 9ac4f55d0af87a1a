import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { SearchMessagesQueryDto, SearchMessagesResponseDto } from './search.dto';
import { SearchService } from './search.service';

@ApiTags('Search')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Search the messages of your conversations',
    description: [
      'Searches the text messages of the conversations you are in now, newest first. `q` (up to 256 characters) understands:',
      '- words: every word must match; English forms match each other ("deciding" finds "decided"), and any word matches itself exactly',
      '- `"exact phrase"`: these words in this order',
      '- `-word` or `-"phrase"`: leave out messages containing it',
      '- `from:<user id>`, `from:@Ada` (a display name starting with Ada), `from:@"Ada Lovelace"` (exactly this display name, any case)',
      '- `in:<conversation id>`',
      '- `before:YYYY-MM-DD` (before that day), `after:YYYY-MM-DD` (after that day); days in UTC',
      '- `has:link`',
      'Any other `word:value` is a plain word. Operators narrow together (AND). `highlights` are the matched words as UTF-16 offsets into `message.content` (end exclusive). Page with `cursor` = the previous `nextCursor`.',
    ].join('\n'),
  })
  @ZodResponse({ status: 200, description: 'A page of results', type: SearchMessagesResponseDto })
  @ApiErrors([400, 'Nothing to search for, a malformed operator (date, id, has:), a bad cursor or limit; `details` names `q`, `cursor` or `limit`'], 429, [
    503,
    'The search took too long or the database is unavailable; try again',
  ])
  searchMessages(@CurrentUserId() userId: string, @Query() query: SearchMessagesQueryDto) {
    return this.search.searchMessages(userId, query);
  }
}
