import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { UsersModule } from '../users/users.module';
import { ConversationRepository } from './conversation.repository';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [UsersModule],
  controllers: [ConversationsController],
  providers: [ConversationRepository, ConversationsService, CursorCodec],
  exports: [ConversationsService, ConversationRepository],
})
export class ConversationsModule {}
