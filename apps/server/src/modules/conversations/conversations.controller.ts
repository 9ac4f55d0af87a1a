import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import {
  AddParticipantsDto,
  ConversationDetailDto,
  ConversationIdParamDto,
  ConversationNotificationsDto,
  ConversationPageDto,
  ConversationPreviewDto,
  CreateConversationDto,
  ListConversationsQueryDto,
  ParticipantParamDto,
  UpdateConversationDto,
  UpdateConversationNotificationsDto,
} from './conversation.dto';
import { ConversationsService } from './conversations.service';

@ApiTags('Conversations')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({
    summary: "List the caller's conversations, most recent activity first",
    description: 'Keyset pagination: pass `nextCursor` back as `cursor`. A conversation that moves while you page is not returned twice.',
  })
  @ZodResponse({ status: 200, description: 'One page of conversations', type: ConversationPageDto })
  @ApiErrors([400, 'Invalid cursor or limit'])
  list(@CurrentUserId() userId: string, @Query() query: ListConversationsQueryDto) {
    return this.conversations.list(userId, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a direct or group conversation',
    description: 'A direct conversation is unique per pair: creating it again returns the existing one with 200.',
  })
  @ZodResponse({ status: 201, description: 'Created', type: ConversationDetailDto })
  @ApiResponse({ status: 200, description: 'The direct conversation with this person already existed', type: ConversationDetailDto.Output })
  @ApiErrors([400, 'Invalid input or unknown participant ids'])
  async create(@CurrentUserId() userId: string, @Body() body: CreateConversationDto, @Res({ passthrough: true }) res: Response) {
    const { conversation, created } = await this.conversations.create(userId, body);
    res.status(created ? 201 : 200);
    return conversation;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conversation with its participants' })
  @ZodResponse({ status: 200, description: 'Conversation details', type: ConversationDetailDto })
  @ApiErrors([400, 'Not a uuid'], [403, 'Not a participant'], [404, 'Unknown or deleted conversation'])
  get(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto) {
    return this.conversations.get(userId, params.id);
  }

  @Get(':id/preview')
  @ApiOperation({
    summary: 'What an invite link shows: name and member count',
    description: 'Public groups for anyone signed in; any conversation you are in. 404 for everything else, so private ones stay hidden.',
  })
  @ZodResponse({ status: 200, description: 'The preview', type: ConversationPreviewDto })
  @ApiErrors([400, 'Not a uuid'], [404, 'Unknown, deleted, or private and you are not in it'])
  preview(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto) {
    return this.conversations.preview(userId, params.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a group or change whether anyone may join it (owner only)' })
  @ZodResponse({ status: 200, description: 'Updated conversation', type: ConversationDetailDto })
  @ApiErrors(400, [403, 'Not the owner, or not a participant'], 404)
  update(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto, @Body() body: UpdateConversationDto) {
    return this.conversations.update(userId, params.id, body);
  }

  @Patch(':id/notifications')
  @ApiOperation({
    summary: 'Set your notification level and mute for a conversation',
    description:
      '`level`: `all`, `mentions` (only messages that mention you or everyone), `none`, or `default` to follow your defaults (`notificationDefaults` in your settings). `mutedUntil`: nothing notifies until then (in the future, at most a year ahead); `null` unmutes; leave it out to keep the mute as it is. Your devices get `conversation:notifications` on the socket.',
  })
  @ZodResponse({ status: 200, description: 'Your notification state of the conversation', type: ConversationNotificationsDto })
  @ApiErrors([400, 'Unknown level, or mutedUntil in the past or over a year ahead'], [403, 'Not a participant'], [404, 'Unknown or deleted conversation'])
  setNotifications(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto, @Body() body: UpdateConversationNotificationsDto) {
    return this.conversations.setNotifications(userId, params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a conversation for everyone (owner only; soft delete, rows are kept)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors([400, 'Not a uuid'], [403, 'Not the owner, or not a participant'], 404)
  async remove(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto): Promise<void> {
    await this.conversations.remove(userId, params.id);
  }

  @Post(':id/join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join a public group', description: 'Invite-only groups and direct conversations cannot be joined.' })
  @ZodResponse({ status: 200, description: 'Joined (or already a member)', type: ConversationDetailDto })
  @ApiErrors([400, 'Not a uuid'], [403, 'Invite-only or direct'], 404)
  join(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto) {
    return this.conversations.join(userId, params.id);
  }

  @Delete(':id/leave')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Leave a conversation',
    description: 'An owner leaving a group hands ownership to the longest-standing member; the last member leaving deletes the group.',
  })
  @ApiNoContentResponse({ description: 'Left' })
  @ApiErrors([400, 'Not a uuid'], [403, 'Not a participant'], 404)
  async leave(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto): Promise<void> {
    await this.conversations.leave(userId, params.id);
  }

  @Post(':id/participants')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add people to a group (owner only)' })
  @ZodResponse({ status: 200, description: 'Updated conversation', type: ConversationDetailDto })
  @ApiErrors([400, 'Invalid input, unknown user ids, or over 1000 participants'], [403, 'Not the owner'], 404)
  addParticipants(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto, @Body() body: AddParticipantsDto) {
    return this.conversations.addParticipants(userId, params.id, body);
  }

  @Delete(':id/participants/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove someone from a group (owner only)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors([400, 'Not a uuid, or removing yourself (leave instead)'], [403, 'Not the owner'], [404, 'Unknown conversation or not a participant'])
  async removeParticipant(@CurrentUserId() userId: string, @Param() params: ParticipantParamDto): Promise<void> {
    await this.conversations.removeParticipant(userId, params.id, params.userId);
  }
}
