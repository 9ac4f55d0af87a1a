import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { ChatGateway } from './chat.gateway';
import { RealtimeFanout } from './realtime.fanout';

@Module({
  imports: [AuthModule, ConversationsModule, MessagesModule, ReceiptsModule, PresenceModule],
  providers: [ChatGateway, RealtimeFanout],
})
export class RealtimeModule {}
