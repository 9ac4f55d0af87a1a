import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { PushSubscriptionDto, PushSubscriptionIdParamDto, PushSubscriptionRequestDto, VapidPublicKeyDto } from './push.dto';
import { PushService } from './push.service';

@ApiTags('Push')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Get('vapid-public-key')
  @ApiOperation({ summary: 'The applicationServerKey for PushManager.subscribe (base64url)' })
  @ZodResponse({ status: 200, description: 'The public VAPID key', type: VapidPublicKeyDto })
  vapidPublicKey() {
    return this.push.vapidPublicKey();
  }

  @Post('subscriptions')
  @ApiOperation({
    summary: "Store this browser's push subscription (PushSubscription.toJSON())",
    description:
      'The endpoint must be an https URL on a public address. Subscribing a stored endpoint again (as you or another account) moves it to you: 200 instead of 201.',
  })
  @ZodResponse({ status: 201, description: 'Stored', type: PushSubscriptionDto })
  @ApiResponse({ status: 200, description: 'The endpoint was already stored; it is yours now, with these keys', type: PushSubscriptionDto.Output })
  @ApiErrors([400, 'Not a subscription, bad keys, or an endpoint that is not a public https address'])
  async subscribe(@CurrentUserId() userId: string, @Body() body: PushSubscriptionRequestDto, @Res({ passthrough: true }) res: Response) {
    const { subscription, created } = await this.push.subscribe(userId, body);
    res.status(created ? 201 : 200);
    return subscription;
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one of your push subscriptions' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors([400, 'Not a uuid'], [404, 'No such subscription of yours'])
  async unsubscribe(@CurrentUserId() userId: string, @Param() params: PushSubscriptionIdParamDto): Promise<void> {
    await this.push.unsubscribe(userId, params.id);
  }
}
