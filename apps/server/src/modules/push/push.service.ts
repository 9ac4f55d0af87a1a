import { Injectable } from '@nestjs/common';
import type { PushSubscriptionDto, PushSubscriptionRequest } from '@chat/shared';
import { AppConfig } from '../../config/app-config';
import { PushAudience } from './push-audience';
import { resolveEndpoint } from './push-endpoint';
import { PushSubscriptionRepository } from './push-subscription.repository';
import { pushErrors } from './push.errors';

@Injectable()
export class PushService {
  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly audience: PushAudience,
    private readonly config: AppConfig,
  ) {}

  vapidPublicKey(): { publicKey: string } {
    return { publicKey: this.config.push.vapid.publicKey };
  }

  /** Stores the browser's subscription for the user (moving it to them if another user had it). */
  async subscribe(userId: string, input: PushSubscriptionRequest): Promise<{ subscription: PushSubscriptionDto; created: boolean }> {
    const checked = await resolveEndpoint(input.endpoint, this.config.push.endpointAllowlist);
    if (!checked.ok) throw pushErrors.unsafeEndpoint(checked.reason);
    const { row, created } = await this.subscriptions.upsert({ userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth });
    // Answered only once every node knows, so a message sent right after can reach this device.
    await this.audience.subscriptionsChanged();
    return { subscription: { id: row.id, endpoint: row.endpoint, createdAt: row.createdAt.toISOString() }, created };
  }

  async unsubscribe(userId: string, id: string): Promise<void> {
    if (!(await this.subscriptions.deleteOwn(userId, id))) throw pushErrors.subscriptionNotFound();
    await this.audience.subscriptionsChanged();
  }
}
