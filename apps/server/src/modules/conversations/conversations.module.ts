import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { MessageRepository } from '../messages/message.repository';
import { UsersModule } from '../users/users.module';
import { ConversationRepository } from './conversation.repository';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [UsersModule],
  controllers: [ConversationsController],
  // Group changes write their system messages in their own transaction, so the message writer lives here.
  providers: [ConversationRepository, ConversationsService, CursorCodec, MessageRepository],
  exports: [ConversationsService, ConversationRepository, MessageRepository],
})
export class ConversationsModule {}
