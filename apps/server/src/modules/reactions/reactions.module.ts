import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { ReactionRepository } from './reaction.repository';
import { ReactionsController } from './reactions.controller';
import { ReactionsService } from './reactions.service';

@Module({
  imports: [ConversationsModule],
  controllers: [ReactionsController],
  providers: [ReactionsService, ReactionRepository],
  exports: [ReactionsService, ReactionRepository],
})
export class ReactionsModule {}
