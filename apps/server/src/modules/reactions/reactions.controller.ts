import { Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { REACTION_DISTINCT_MAX, REACTION_USERS_MAX } from '@chat/shared';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { MessageParamDto } from '../messages/message.dto';
import { ReactionParamDto, ReactionStateDto, ReactionUsersDto } from './reactions.dto';
import { ReactionsService } from './reactions.service';

const EMOJI_RULE = 'emoji (URL-encoded): exactly one emoji, or a known shortcode such as :+1: (stored as the emoji it names, so both are one reaction).';

@ApiTags('Reactions')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('conversations/:id/messages/:messageId/reactions')
export class ReactionsController {
  constructor(private readonly reactions: ReactionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Who reacted with what',
    description: `Each emoji of the message in the order it was first added, with its count and the first ${REACTION_USERS_MAX} people who reacted with it.`,
  })
  @ZodResponse({ status: 200, description: 'Reactions with their people', type: [ReactionUsersDto] })
  @ApiErrors([400, 'Invalid id'], [403, 'Not a participant; or SYSTEM_MESSAGE'], [404, 'Unknown or deleted conversation or message'])
  list(@CurrentUserId() userId: string, @Param() params: MessageParamDto) {
    return this.reactions.reactors(userId, params.id, params.messageId);
  }

  @Put(':emoji')
  @ApiOperation({
    summary: 'React to a message (HTTP fallback of reaction:add)',
    description: `${EMOJI_RULE} Adding a reaction you already have changes nothing and answers the current state. At most ${REACTION_DISTINCT_MAX} different emoji per message; existing ones can still be added to.`,
  })
  @ZodResponse({ status: 200, description: "The message's reactions after the change, as you see them", type: ReactionStateDto })
  @ApiErrors(
    [400, 'Invalid id, or not one emoji nor a known shortcode'],
    [403, 'Not a participant; or SYSTEM_MESSAGE: a record of a change to the group'],
    [404, 'Unknown or deleted conversation or message'],
    [409, `TOO_MANY_REACTIONS: the message already has ${REACTION_DISTINCT_MAX} different emoji`],
  )
  add(@CurrentUserId() userId: string, @Param() params: ReactionParamDto) {
    return this.reactions.set(userId, { conversationId: params.id, messageId: params.messageId, emoji: params.emoji }, true);
  }

  @Delete(':emoji')
  @ApiOperation({
    summary: 'Take back a reaction (HTTP fallback of reaction:remove)',
    description: `${EMOJI_RULE} Removing a reaction you do not have changes nothing and answers the current state.`,
  })
  @ZodResponse({ status: 200, description: "The message's reactions after the change, as you see them", type: ReactionStateDto })
  @ApiErrors(
    [400, 'Invalid id, or not one emoji nor a known shortcode'],
    [403, 'Not a participant; or SYSTEM_MESSAGE: a record of a change to the group'],
    [404, 'Unknown or deleted conversation or message'],
  )
  remove(@CurrentUserId() userId: string, @Param() params: ReactionParamDto) {
    return this.reactions.set(userId, { conversationId: params.id, messageId: params.messageId, emoji: params.emoji }, false);
  }
}
