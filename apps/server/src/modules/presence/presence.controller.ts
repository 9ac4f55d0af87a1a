import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { PresenceBatchQueryDto, PresenceBatchResponseDto, PresenceDto, UserIdParamDto } from './presence.dto';
import { PresenceService } from './presence.service';

const PRIVACY =
  'Privacy: someone sharing with "nobody", or with presence disabled, always appears offline with no last seen; "friends" share only with people who are in a conversation with them. You always see your own status.';

@ApiTags('Presence')
@ApiBearerAuth()
@ApiErrors(401)
@Controller()
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get('users/:id/presence')
  @ApiOperation({ summary: "A user's presence", description: PRIVACY })
  @ZodResponse({ status: 200, description: 'Presence as you may see it', type: PresenceDto })
  @ApiErrors([400, 'Not a uuid'], [404, 'Unknown user'])
  one(@CurrentUserId() userId: string, @Param() params: UserIdParamDto) {
    return this.presence.presenceOf(userId, params.id);
  }

  @Get('presence')
  @ApiOperation({
    summary: 'Presence of up to 100 users at once (for the sidebar)',
    description: `userIds is comma-separated. Unknown ids are left out. ${PRIVACY}`,
  })
  @ZodResponse({ status: 200, description: 'Presences as you may see them', type: PresenceBatchResponseDto })
  @ApiErrors([400, 'Missing, malformed or more than 100 ids'])
  async many(@CurrentUserId() userId: string, @Query() query: PresenceBatchQueryDto) {
    return { presences: await this.presence.presencesOf(userId, query.userIds) };
  }
}
