import { Module } from '@nestjs/common';
import { ConnectionGauges } from './connection-gauges';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  controllers: [HealthController],
  providers: [HealthService, ConnectionGauges],
  exports: [HealthService],
})
export class HealthModule {}
