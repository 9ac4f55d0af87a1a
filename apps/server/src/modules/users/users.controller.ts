import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { UserDto } from '../auth/auth.dto';
import { CurrentUserId } from '../auth/auth.guard';
import { UpdateProfileDto, UpdateUserSettingsDto, UserSearchQueryDto, UserSearchResponseDto, UserSettingsDto } from './users.dto';
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

  @Patch('me')
  @ApiOperation({
    summary: 'Change your display name',
    description: 'Your other tabs and everyone who shares a conversation with you get `user:updated` on the socket.',
  })
  @ZodResponse({ status: 200, description: 'The updated user', type: UserDto })
  @ApiErrors([400, 'Missing, too short or too long display name'], 401)
  updateProfile(@CurrentUserId() userId: string, @Body() body: UpdateProfileDto) {
    return this.users.updateProfile(userId, body);
  }

  @Get('me/settings')
  @ApiOperation({ summary: 'Your privacy and notification settings' })
  @ZodResponse({ status: 200, description: 'Current settings', type: UserSettingsDto })
  getSettings(@CurrentUserId() userId: string) {
    return this.users.settings(userId);
  }

  @Patch('me/settings')
  @ApiOperation({
    summary: 'Change your privacy and notification settings',
    description:
      'readReceiptsEnabled=false: others never see that you read their messages (you are not listed or counted). presenceEnabled=false or presenceSharing=nobody: you always appear offline, with no last seen. presenceSharing=friends: only people who share a conversation with you see your status. notificationDefaults: the level (all, mentions, none) of direct chats, groups, and groups of 10 or more that have no level of their own; name only the ones to change. pushPreview=false: push notifications never show the message text.',
  })
  @ZodResponse({ status: 200, description: 'Updated settings', type: UserSettingsDto })
  @ApiErrors([400, 'Unknown value or nothing to update'])
  updateSettings(@CurrentUserId() userId: string, @Body() body: UpdateUserSettingsDto) {
    return this.users.updateSettings(userId, body);
  }
}
