import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import type { ChatNamespace, ChatSocket } from './chat-socket.types';
import { socketBacklog } from './socket-backlog';

/** A socket whose unsent output passes this is a slow consumer: cut it loose; it catches up on reconnect. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;
const SLOW_CONSUMER_PACKETS = 5_000;
const SLOW_CONSUMER_SWEEP_MS = 500;

/** Periodically drops the sockets that cost this node without serving anyone: silent ones and slow consumers. */
@Injectable()
export class SocketSweeper implements OnModuleDestroy {
  private readonly logger = new Logger(SocketSweeper.name);
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  start(namespace: ChatNamespace): void {
    const silentSweepMs = Math.max(250, Math.min(5_000, this.config.heartbeatTimeoutMs / 3));
    this.every(silentSweepMs, () => this.dropSilentSockets(namespace));
    this.every(SLOW_CONSUMER_SWEEP_MS, () => this.dropSlowConsumers(namespace));
  }

  /** Anything arriving from the socket shows it is alive. */
  watch(socket: ChatSocket): void {
    socket.onAny(() => {
      socket.data.lastSeenAt = Date.now();
    });
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  private every(ms: number, sweep: () => void): void {
    const timer = setInterval(sweep, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private dropSilentSockets(namespace: ChatNamespace): void {
    const cutoff = Date.now() - this.config.heartbeatTimeoutMs;
    for (const socket of namespace.sockets.values()) {
      if (socket.data.lastSeenAt < cutoff) socket.disconnect(true);
    }
  }

  /** Output piling up for a client that stopped reading must not grow this node's memory. */
  private dropSlowConsumers(namespace: ChatNamespace): void {
    for (const socket of namespace.sockets.values()) {
      const { packets, bytes } = socketBacklog(socket);
      if (packets > SLOW_CONSUMER_PACKETS || bytes > SLOW_CONSUMER_BYTES) {
        this.logger.warn({ msg: 'dropping slow consumer', socketId: socket.id, userId: socket.data.userId, packets, bytes });
        this.metrics.socketErrors.inc({ event: 'output', code: 'SLOW_CONSUMER' });
        socket.conn.close();
      }
    }
  }
}
