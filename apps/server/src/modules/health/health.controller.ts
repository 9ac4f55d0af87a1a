import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { liveResponseSchema, readyResponseSchema } from '@chat/shared';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { Public } from '../auth/auth.guard';
import { HealthService } from './health.service';

class LiveResponseDto extends createZodDto(liveResponseSchema) {}
class ReadyResponseDto extends createZodDto(readyResponseSchema) {}

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness probe: the process is up' })
  @ApiOkResponse({ type: LiveResponseDto.Output })
  live() {
    return { status: 'alive' as const };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe: database and Redis (or the in-process adapters) answer' })
  @ApiOkResponse({ type: ReadyResponseDto.Output, description: 'Ready' })
  @ApiServiceUnavailableResponse({ type: ReadyResponseDto.Output, description: 'Not ready; the failing check says error' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const result = await this.health.readiness();
    res.status(result.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
