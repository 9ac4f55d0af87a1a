import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { UserSearchQueryDto, UserSearchResponseDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('Users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('search')
  @ApiOperation({
    summary: 'Find people to talk to',
    description: 'Display-name prefix (case-insensitive) or exact email; at most 20 results; never the caller. Returns only id and display name.',
  })
  @ZodResponse({ status: 200, description: 'Matching people', type: UserSearchResponseDto })
  @ApiErrors([400, 'Missing or too long q'], 401)
  search(@CurrentUserId() userId: string, @Query() query: UserSearchQueryDto) {
    return this.users.search(query.q, userId);
  }
}
