import { Injectable, Logger } from '@nestjs/common';
import type { Ack, ClientToServerEvents, MessageErrorEvent } from '@chat/shared';
import type { z } from 'zod';
import { MetricsService } from '../metrics/metrics.service';
import type { ChatSocket } from './chat-socket.types';
import { ConnectionLifecycle } from './connection-lifecycle';
import { toSocketError } from './socket-errors';

export type AckFn<T extends object> = ((result: Ack<T>) => void) | undefined;

/** A client event as it arrived: its raw payload, the shared schema that parses it, and its ack if it sent one. */
export interface SocketRequest<S extends z.ZodType, T extends object> {
  schema: S;
  payload: unknown;
  ack?: AckFn<T>;
}

type Handler<S extends z.ZodType, T extends object> = (input: z.output<S>) => T | Promise<T>;

interface AnswerRules {
  /** Emitted on every failure, ack or not; without it, a failure with no ack is emitted as `error`. */
  errorEvent?: 'message:error';
  /** Fields of the raw payload that a failure carries back. */
  echo?: (payload: unknown) => Partial<MessageErrorEvent>;
  /** Observed on success: from arrival to the ack. */
  latency?: { startTimer(): () => unknown };
}

const echoClientMessageId = (payload: unknown): Partial<MessageErrorEvent> => {
  const clientMessageId = (payload as { clientMessageId?: unknown } | null | undefined)?.clientMessageId;
  return typeof clientMessageId === 'string' ? { clientMessageId } : {};
};

/**
 * The one answer path of every client event: validate with the shared schema, run, then ack
 * `{ ok: true, ...result }`; or map the failure to the protocol's error, count it, and ack it (or
 * emit it as `error` when the client sent no ack). Every run is tracked, so a shutdown waits for it.
 */
@Injectable()
export class SocketResponder {
  private readonly logger = new Logger(SocketResponder.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly lifecycle: ConnectionLifecycle,
  ) {}

  reply<S extends z.ZodType, T extends object>(
    socket: ChatSocket,
    event: keyof ClientToServerEvents,
    request: SocketRequest<S, T>,
    run: Handler<S, T>,
  ): Promise<void> {
    return this.lifecycle.track(this.answer(socket, event, request, run, {}));
  }

  /** `message:send` answers the same way, and also emits every failure as `message:error` with the client's id. */
  replyToSend<S extends z.ZodType, T extends object>(socket: ChatSocket, request: SocketRequest<S, T>, run: Handler<S, T>): Promise<void> {
    const rules: AnswerRules = { errorEvent: 'message:error', echo: echoClientMessageId, latency: this.metrics.sendAckLatency };
    return this.lifecycle.track(this.answer(socket, 'message:send', request, run, rules));
  }

  private async answer<S extends z.ZodType, T extends object>(
    socket: ChatSocket,
    event: string,
    { schema, payload, ack }: SocketRequest<S, T>,
    run: Handler<S, T>,
    rules: AnswerRules,
  ): Promise<void> {
    const stopTimer = rules.latency?.startTimer();
    try {
      const result = await run(schema.parse(payload));
      if (typeof ack === 'function') ack({ ok: true, ...result });
      stopTimer?.();
    } catch (error) {
      const failure = { ...toSocketError(error, event), ...rules.echo?.(payload) };
      if (failure.code === 'INTERNAL') this.logger.error(error);
      this.metrics.socketErrors.inc({ event, code: failure.code });
      if (rules.errorEvent) socket.emit(rules.errorEvent, failure);
      if (typeof ack === 'function') ack({ ok: false, ...failure });
      else if (!rules.errorEvent) socket.emit('error', failure);
    }
  }
}
