import { Module } from '@nestjs/common';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UserRepository, UsersService],
  // The repository too: conversation changes read names inside their own transactions.
  exports: [UsersService, UserRepository],
})
export class UsersModule {}
