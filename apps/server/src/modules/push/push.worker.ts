import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PushSubscriptionRow } from '@chat/db';
import { JobPump } from '../../infra/jobs/job-pump';
import { MembershipRepository } from '../conversations/membership.repository';
import { MetricsService } from '../metrics/metrics.service';
import { PushAudience } from './push-audience';
import { type ClaimedPushJob, type NewPushJob, PushQueue } from './push-queue';
import { PushSender } from './push-sender';
import { PushSubscriptionRepository } from './push-subscription.repository';

/** Pushes sent at once on a node: each waits on a push service, not on this process. */
const CONCURRENCY = 16;
/** How often a node looks for jobs that came due (idle checks, retries, other nodes' jobs). */
const POLL_MS = 250;
const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10 * 60_000;
/** How stale a subscription's last success may get before a delivery records it again. */
const SUCCESS_RECORD_MS = 60 * 60_000;

/** Takes push jobs off the queue on every node and sends them, off the send path. */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PushWorker.name);
  private readonly jobs: JobPump<ClaimedPushJob>;

  constructor(
    private readonly queue: PushQueue,
    private readonly sender: PushSender,
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly audience: PushAudience,
    private readonly memberships: MembershipRepository,
    private readonly metrics: MetricsService,
  ) {
    this.jobs = new JobPump({
      concurrency: CONCURRENCY,
      pollMs: POLL_MS,
      claim: () => this.queue.claim(),
      run: (job) => this.run(job),
      logger: this.logger,
      what: 'push jobs',
    });
  }

  onApplicationBootstrap(): void {
    this.jobs.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const stopping = this.jobs.stop();
    // A push still waiting on its service is cut off and retried later, by this node or another.
    this.sender.close();
    await stopping;
  }

  /** Queues a push; never throws (a push that cannot be queued is lost, and logged). */
  request(job: NewPushJob, delayMs: number): void {
    this.queue.enqueue(job, delayMs).then(
      () => (delayMs === 0 ? this.jobs.pump() : undefined),
      (error: unknown) => this.logger.error(error, `could not queue the push of message ${job.messageId} to user ${job.userId}`),
    );
  }

  private async run(claimed: ClaimedPushJob): Promise<void> {
    const { job } = claimed;
    try {
      if (await this.memberships.hasUnread(job.userId, job.messageId)) {
        const targets = job.subscriptionId
          ? [await this.subscriptions.findById(job.subscriptionId)].filter((row): row is PushSubscriptionRow => row?.userId === job.userId)
          : await this.subscriptions.findByUser(job.userId);
        // A retry owns its (message, subscription) already; a first try takes it, or leaves it to whoever did.
        await Promise.all(
          targets.map(async (target) => (job.subscriptionId || (await this.queue.firstSend(job.messageId, target.id))) && this.deliver(job, target)),
        );
      }
      await claimed.done();
    } catch (error) {
      // Left claimed: it comes due again when the claim goes stale.
      this.logger.error(error, `push of message ${job.messageId} to user ${job.userId} failed`);
    }
  }

  private async deliver(job: NewPushJob, target: PushSubscriptionRow): Promise<void> {
    const outcome = await this.sender.send(target, job.payload, { urgent: job.urgent, topic: job.conversationId.replaceAll('-', '') });
    switch (outcome.kind) {
      case 'delivered':
        this.metrics.pushes.inc({ outcome: 'delivered' });
        // A healthy row that succeeded within the hour is not written again for each push.
        if (target.failureCount > 0 || !target.lastSuccessAt || Date.now() - target.lastSuccessAt.getTime() > SUCCESS_RECORD_MS) {
          await this.subscriptions.recordSuccess(target.id);
        }
        return;
      case 'gone':
        this.metrics.pushes.inc({ outcome: 'gone' });
        await this.subscriptions.delete(target.id);
        await this.audience.subscriptionsChanged();
        return;
      case 'retry':
        if (job.attempt < MAX_ATTEMPTS) {
          this.metrics.pushes.inc({ outcome: 'retried' });
          const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (job.attempt - 1), BACKOFF_MAX_MS);
          const delay = Math.min(Math.max(backoff, outcome.retryAfterMs ?? 0), BACKOFF_MAX_MS);
          await this.queue.enqueue({ ...job, subscriptionId: target.id, attempt: job.attempt + 1 }, delay);
          return;
        }
        break;
      case 'failed':
        break;
    }
    this.metrics.pushes.inc({ outcome: 'failed' });
    this.logger.warn(`push of message ${job.messageId} to subscription ${target.id} failed (try ${job.attempt}): ${outcome.reason}`);
    await this.subscriptions.recordFailure(target.id);
  }
}
