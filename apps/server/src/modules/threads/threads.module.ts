import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { ConversationsModule } from '../conversations/conversations.module';
import { MessagesModule } from '../messages/messages.module';
import { ThreadFollowRepository } from './thread-follow.repository';
import { ThreadsController } from './threads.controller';
import { ThreadsService } from './threads.service';

@Module({
  imports: [ConversationsModule, MessagesModule],
  controllers: [ThreadsController],
  providers: [ThreadsService, ThreadFollowRepository, CursorCodec],
})
export class ThreadsModule {}
