import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { ReactionsModule } from '../reactions/reactions.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { ChatGateway } from './chat.gateway';
import { ConnectionLifecycle } from './connection-lifecycle';
import { HandshakeAuth } from './handshake-auth';
import { RealtimeFanout } from './realtime.fanout';
import { SocketResponder } from './socket-responder';
import { SocketSweeper } from './socket-sweeper';

@Module({
  imports: [AuthModule, ConversationsModule, MessagesModule, ReceiptsModule, ReactionsModule, PresenceModule],
  providers: [ChatGateway, HandshakeAuth, ConnectionLifecycle, SocketSweeper, SocketResponder, RealtimeFanout],
})
export class RealtimeModule {}
