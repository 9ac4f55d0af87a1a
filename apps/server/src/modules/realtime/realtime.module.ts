import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { MessagesModule } from '../messages/messages.module';
import { ChatGateway } from './chat.gateway';
import { RealtimeFanout } from './realtime.fanout';

@Module({
  imports: [AuthModule, ConversationsModule, MessagesModule],
  providers: [ChatGateway, RealtimeFanout],
})
export class RealtimeModule {}
