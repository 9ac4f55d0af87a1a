import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { ConversationIdParamDto } from '../conversations/conversation.dto';
import { MarkReadDto, MarkReadResultDto, MessageIdParamDto, MessageReceiptsDto } from './receipts.dto';
import { ReceiptsService } from './receipts.service';

@ApiTags('Read Receipts')
@ApiBearerAuth()
@ApiErrors(401)
@Controller()
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Get('messages/:id/receipts')
  @ApiOperation({
    summary: 'Who read a message, and when',
    description: 'Participants other than the sender who share read receipts. Reading a later message counts as reading this one.',
  })
  @ZodResponse({ status: 200, description: 'Readers of the message', type: MessageReceiptsDto })
  @ApiErrors([400, 'Not a uuid'], [403, 'Not a participant'], [404, 'Unknown message'])
  listReaders(@CurrentUserId() userId: string, @Param() params: MessageIdParamDto) {
    return this.receipts.receiptsFor(userId, params.id);
  }

  @Post('conversations/:id/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark everything up to a message as read (HTTP fallback of receipt:read)',
    description: 'Markers only move forward: an older message leaves the read state as it is.',
  })
  @ZodResponse({ status: 200, description: 'The read state after this read', type: MarkReadResultDto })
  @ApiErrors([400, 'Not a uuid'], [403, 'Not a participant'], [404, 'Unknown conversation or message'])
  markRead(@CurrentUserId() userId: string, @Param() params: ConversationIdParamDto, @Body() body: MarkReadDto) {
    return this.receipts.markRead(userId, params.id, body.messageId);
  }
}
