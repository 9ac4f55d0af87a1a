import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { ConversationIdParamDto } from '../conversations/conversation.dto';
import {
  EditMessageDto,
  MessageDto,
  MessageHistoryQueryDto,
  MessagePageDto,
  MessageParamDto,
  SendMessageDto,
  ThreadRepliesPageDto,
  ThreadRepliesQueryDto,
  ThreadRootParamDto,
} from './message.dto';
import { MessagesService } from './messages.service';

@ApiTags('Messages')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('conversations/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({
    summary: 'Message history and catch-up',
    description:
      'Without beforeSeq/afterSeq/aroundSeq: the latest page. beforeSeq: older messages (scrolling up). afterSeq: everything after a seq the client has, oldest first (catch-up); with updatedSince also the edits and deletes of older messages. aroundSeq: the page centred on that seq (jumping to a search result), half older and half newer; hasMore tells whether older messages exist, hasMoreAfter whether newer ones do. Messages are always in ascending seq order. Thread replies (threadRootId set) are left out of the latest, beforeSeq and aroundSeq pages unless includeReplies=true; afterSeq catch-up always includes them (one stream per conversation). Thread roots carry their summary in `thread`, and a reply moves its root into the updatedSince updates.',
  })
  @ZodResponse({ status: 200, description: 'A page of messages', type: MessagePageDto })
  @ApiErrors([400, 'Invalid id, seq, limit or date'], [403, 'Not a participant'], [404, 'Unknown or deleted conversation'])
  history(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto, @Query() query: MessageHistoryQueryDto) {
    return this.messages.history(userId, params.id, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Send a message (HTTP fallback of the socket event message:send)',
    description:
      "Stored before it is confirmed. Resending the same clientMessageId returns the original message with 200 and never stores a second one. 30 messages per minute per user across both transports. readUpToSeq (optional): the highest seq up to which the client holds every message; the sender's read marker then moves over the new message only if nothing before it is missing (omitted: it always moves). attachmentIds (optional, at most 10 distinct): files the sender uploaded with POST /api/files that no message has taken yet, attached with the message in one statement (all or nothing); content may then be empty or absent. mentions (optional): { userIds (current members, at most 50 distinct), everyone (groups only; in groups of more than 50 only owners) }, checked and stored in the same statement (all or nothing). A resend answers with the stored message, its files and its mentions. threadRootId (optional): send a thread reply to that root (a live text message of this conversation that is not a reply); it takes the conversation's next seq, is left out of the main history page and of unread counts, updates the root's thread summary and makes the sender, the root's author and everyone it mentions follow the thread.",
  })
  @ZodResponse({ status: 201, description: 'Stored', type: MessageDto })
  @ApiResponse({ status: 200, description: 'Already stored under this clientMessageId: the original', type: MessageDto.Output })
  @ApiErrors(
    [
      400,
      'Invalid content (1..4000 characters after trimming, or empty with attachments) or clientMessageId; an attachment that is not a free file of the sender; a mention of someone not in the conversation, or of everyone in a direct chat; a threadRootId that is not a live message of this conversation, or is itself a reply',
    ],
    [403, 'Not a participant; or EVERYONE_MENTION_FORBIDDEN: a member (not an owner) mentioning everyone in a group of more than 50'],
    [404, 'Unknown or deleted conversation'],
    [409, 'clientMessageId already used in another conversation'],
    429,
  )
  async send(
    @CurrentUserId() userId: string,
    @Param() params: ConversationIdParamDto,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { message, created } = await this.messages.send(userId, {
      conversationId: params.id,
      content: body.content,
      clientMessageId: body.clientMessageId,
      readUpToSeq: body.readUpToSeq,
      attachmentIds: body.attachmentIds,
      mentions: body.mentions,
      threadRootId: body.threadRootId,
    });
    res.status(created ? 201 : 200);
    return message;
  }

  @Get(':rootId/replies')
  @ApiOperation({
    summary: 'A thread: its root and its replies, oldest first',
    description: 'Replies with seq above afterSeq (default 0), at most limit; hasMore tells whether newer replies exist. The root is always included.',
  })
  @ZodResponse({ status: 200, description: 'The root and a page of its replies', type: ThreadRepliesPageDto })
  @ApiErrors([400, 'Invalid id, seq or limit'], [403, 'Not a participant'], [404, 'Unknown conversation, or no such root in it (a reply is not a root)'])
  replies(@CurrentUserId() userId: string, @Param() params: ThreadRootParamDto, @Query() query: ThreadRepliesQueryDto) {
    return this.messages.replies(userId, params.id, params.rootId, query);
  }

  @Patch(':messageId')
  @ApiOperation({
    summary: 'Edit your own message',
    description: 'Within 24 hours of sending; sets editedAt. mentions (optional) replace the message’s, checked as on send; omitted, they stay as they were.',
  })
  @ZodResponse({ status: 200, description: 'Edited message', type: MessageDto })
  @ApiErrors(
    [400, 'Invalid content, or a mention of someone not in the conversation (or of everyone in a direct chat)'],
    [403, 'Not your message, not a participant, or older than 24 hours; or EVERYONE_MENTION_FORBIDDEN'],
    [404, 'Unknown or deleted message'],
  )
  edit(@CurrentUserId() userId: string, @Param() params: MessageParamDto, @Body() body: EditMessageDto) {
    return this.messages.edit(userId, params.id, params.messageId, body.content, body.mentions);
  }

  @Delete(':messageId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete your own message', description: 'Soft delete: it keeps its place (seq) but its content is removed for everyone.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, [403, 'Not your message, or not a participant'], [404, 'Unknown or already deleted message'])
  async remove(@CurrentUserId() userId: string, @Param() params: MessageParamDto): Promise<void> {
    await this.messages.remove(userId, params.id, params.messageId);
  }
}
