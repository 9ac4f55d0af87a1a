import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ZodSerializerInterceptor, ZodValidationPipe } from 'nestjs-zod';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { DomainEventsModule } from './common/events/domain-event-bus';
import { loggerOptions } from './common/logging/logger-options';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ClusterModule } from './infra/cluster/cluster.module';
import { DatabaseModule } from './infra/database/database.module';
import { RateLimitModule } from './infra/rate-limit/rate-limit.module';
import { RedisModule } from './infra/redis/redis.module';
import { StorageModule } from './infra/storage/storage.module';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuthModule } from './modules/auth/auth.module';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { FilesModule } from './modules/files/files.module';
import { PushModule } from './modules/push/push.module';
import { MessagesModule } from './modules/messages/messages.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { ReactionsModule } from './modules/reactions/reactions.module';
import { ReceiptsModule } from './modules/receipts/receipts.module';
import { SearchModule } from './modules/search/search.module';
import { ThreadsModule } from './modules/threads/threads.module';
import { HealthModule } from './modules/health/health.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        EventEmitterModule.forRoot(),
        DomainEventsModule,
        DatabaseModule,
        RedisModule,
        ClusterModule,
        MetricsModule,
        RateLimitModule,
        StorageModule,
        HealthModule,
        UsersModule,
        AuthModule,
        ConversationsModule,
        MessagesModule,
        ReceiptsModule,
        ReactionsModule,
        SearchModule,
        ThreadsModule,
        FilesModule,
        NotificationsModule,
        PushModule,
        RealtimeModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ZodSerializerInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
