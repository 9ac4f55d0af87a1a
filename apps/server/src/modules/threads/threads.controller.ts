import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { ThreadRootParamDto } from '../messages/message.dto';
import { ListThreadsQueryDto, ThreadPageDto, ThreadReadRequestDto, ThreadReadStateDto } from './thread.dto';
import { ThreadsService } from './threads.service';

@ApiTags('Threads')
@ApiBearerAuth()
@ApiErrors(401)
@Controller()
export class ThreadsController {
  constructor(private readonly threads: ThreadsService) {}

  @Get('threads')
  @ApiOperation({
    summary: 'Threads I follow',
    description:
      'Threads followed in conversations the user is still in: those with unread replies first, then by last reply, newest first. unreadCount: live replies of others after lastReadSeq. Keyset pagination: pass `nextCursor` back as `cursor`. The root’s author, every replier and everyone mentioned in a reply follow a thread.',
  })
  @ZodResponse({ status: 200, description: 'A page of followed threads', type: ThreadPageDto })
  @ApiErrors([400, 'Invalid cursor or limit'])
  list(@CurrentUserId() userId: string, @Query() query: ListThreadsQueryDto) {
    return this.threads.list(userId, query);
  }

  @Post('conversations/:id/threads/:rootId/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a thread read up to a reply',
    description:
      'Moves the follower’s thread marker to seq (never backwards) and sends `thread:read` to their other devices. Mentions in the thread’s replies stop counting in the conversation’s mention count once the marker passes them. For someone who does not follow the thread nothing is stored (following: false).',
  })
  @ZodResponse({ status: 200, description: 'The reader’s state of the thread', type: ThreadReadStateDto })
  @ApiErrors([400, 'Invalid id or seq'], [403, 'Not a participant'], [404, 'Unknown conversation, or no such root in it'])
  read(@CurrentUserId() userId: string, @Param() params: ThreadRootParamDto, @Body() body: ThreadReadRequestDto) {
    return this.threads.read(userId, params.id, params.rootId, body.seq);
  }

  @Put('conversations/:id/threads/:rootId/follow')
  @ApiOperation({ summary: 'Follow a thread', description: 'Starts with nothing unread. Following twice changes nothing.' })
  @ZodResponse({ status: 200, description: 'The follower’s state of the thread', type: ThreadReadStateDto })
  @ApiErrors([400, 'Invalid id'], [403, 'Not a participant'], [404, 'Unknown conversation, or no such root in it'])
  follow(@CurrentUserId() userId: string, @Param() params: ThreadRootParamDto) {
    return this.threads.follow(userId, params.id, params.rootId);
  }

  @Delete('conversations/:id/threads/:rootId/follow')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unfollow a thread',
    description: 'Its replies and the mentions in them stop counting for the user until they follow again (replying or being mentioned does).',
  })
  @ApiNoContentResponse({ description: 'Not following' })
  @ApiErrors([400, 'Invalid id'], [403, 'Not a participant'], [404, 'Unknown conversation, or no such root in it'])
  async unfollow(@CurrentUserId() userId: string, @Param() params: ThreadRootParamDto): Promise<void> {
    await this.threads.unfollow(userId, params.id, params.rootId);
  }
}
