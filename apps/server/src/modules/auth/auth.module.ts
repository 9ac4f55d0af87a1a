import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { MemoryTokenBlacklist, RedisTokenBlacklist, TokenBlacklist } from './token-blacklist';
import { TokenService } from './token.service';

@Module({
  imports: [UsersModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordService,
    TokenService,
    SessionRepository,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    {
      provide: TokenBlacklist,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisTokenBlacklist(redis) : new MemoryTokenBlacklist()),
    },
  ],
  exports: [AuthService, TokenService],
})
export class AuthModule {}
