import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { MessageRepository } from '../messages/message.repository';
import { UsersModule } from '../users/users.module';
import { ConversationChanges } from './conversation-changes';
import { ConversationSummaryRepository } from './conversation-summary.repository';
import { ConversationRepository } from './conversation.repository';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { MembershipRepository } from './membership.repository';

@Module({
  imports: [UsersModule],
  controllers: [ConversationsController],
  providers: [
    ConversationRepository,
    ConversationSummaryRepository,
    MembershipRepository,
    ConversationChanges,
    ConversationsService,
    CursorCodec,
    // Group changes write their system messages in their own transaction, so the message writer lives here.
    MessageRepository,
  ],
  exports: [ConversationsService, ConversationRepository, MembershipRepository, MessageRepository],
})
export class ConversationsModule {}
