import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds, dense where a chat message should land (a few ms). */
const FAST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface ConnectionProbes {
  pool(): { total: number; idle: number; waiting: number };
  redisUp(): boolean;
}

/** Every Prometheus metric of a node, in its own registry (so tests can run several nodes in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'chat_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: FAST_BUCKETS,
    registers: [this.registry],
  });

  readonly socketsConnected = new Gauge({
    name: 'chat_sockets_connected',
    help: 'Sockets currently connected to this node',
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: 'chat_messages_sent_total',
    help: 'Messages stored, by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly messagesDelivered = new Counter({
    name: 'chat_messages_delivered_total',
    help: 'Message fan-outs emitted to conversation rooms (replays included)',
    registers: [this.registry],
  });

  readonly sendAckLatency = new Histogram({
    name: 'chat_message_send_ack_seconds',
    help: 'Time from message:send arriving to its acknowledgement (stored and committed)',
    buckets: FAST_BUCKETS,
    registers: [this.registry],
  });

  readonly socketErrors = new Counter({
    name: 'chat_socket_errors_total',
    help: 'Socket events answered with an error, by event and code',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });

  readonly rateLimitHits = new Counter({
    name: 'chat_rate_limit_hits_total',
    help: 'Requests refused by a rate limit, by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  readonly receiptFlushSize = new Histogram({
    name: 'chat_receipt_flush_reads',
    help: 'Reads stored per batched receipt flush',
    buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 20000],
    registers: [this.registry],
  });

  readonly receiptFlushDuration = new Histogram({
    name: 'chat_receipt_flush_duration_seconds',
    help: 'Duration of a batched receipt flush',
    buckets: FAST_BUCKETS,
    registers: [this.registry],
  });

  readonly pushes = new Counter({
    name: 'chat_pushes_total',
    help: 'Web Push sends by outcome: delivered, gone (subscription removed), retried, failed (given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly presenceTransitions = new Counter({
    name: 'chat_presence_transitions_total',
    help: 'Presence transitions announced, by new status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly dbPoolConnections: Gauge<'state'> = new Gauge({
    name: 'chat_db_pool_connections',
    help: 'PostgreSQL pool connections by state (embedded mode: one, always idle)',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: (): void => {
      const pool = this.probes.pool();
      for (const state of ['total', 'idle', 'waiting'] as const) this.dbPoolConnections.set({ state }, pool[state]);
    },
  });

  readonly redisUp: Gauge = new Gauge({
    name: 'chat_redis_up',
    help: '1 when the Redis connection is ready (always 1 with the in-process adapters)',
    registers: [this.registry],
    collect: (): void => this.redisUp.set(this.probes.redisUp() ? 1 : 0),
  });

  // Until the module that holds the connections reports on them, the embedded mode's answers.
  private probes: ConnectionProbes = { pool: () => ({ total: 1, idle: 1, waiting: 0 }), redisUp: () => true };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'chat_' });
    // These default collectors walk every open file descriptor and every active handle on each
    // scrape, synchronously: with 10,000 sockets that blocked the event loop for tens of ms per
    // scrape (seen in a CPU profile of the presence benchmark). Socket counts come from our gauge.
    for (const costly of [
      'process_open_fds',
      'nodejs_active_handles',
      'nodejs_active_handles_total',
      'nodejs_active_resources',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(`chat_${costly}`);
    }
  }

  /** The database pool and Redis gauges read these on each scrape. */
  observeConnections(probes: ConnectionProbes): void {
    this.probes = probes;
  }
}
