import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { IncomingMessage } from 'node:http';
import type Redis from 'ioredis';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../../config/app-config';

/** Largest socket frame accepted; larger ones close the connection (engine.io's own limit). */
export const SOCKET_MAX_FRAME_BYTES = 1_000_000;

/**
 * Socket.io for the whole app: the Redis Streams adapter when Redis is configured (so an emit on
 * one node reaches sockets on every node), the in-memory adapter otherwise. Browser handshakes from
 * foreign origins are refused.
 */
export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly redis: Redis | null,
    private readonly isDraining: () => boolean = () => false,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
      cors: this.config.corsOrigins.length > 0 ? { origin: this.config.corsOrigins, credentials: true } : undefined,
      // A draining node refuses handshakes outright, so a proxy retries them on another node.
      allowRequest: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) =>
        callback(null, !this.isDraining() && this.originAllowed(req)),
      ...(this.redis ? { adapter: createAdapter(this.redis, { streamName: 'socket.io', maxLen: 100_000, blockTimeInMs: 1_000 }) } : {}),
    });
    return server;
  }

  /**
   * Nest binds every handler of every socket through an RxJS pipeline (a dozen live subscriptions
   * per socket, and an observable chain per event). Its handlers already catch their own errors and
   * resolve with what to answer, so one plain listener per event does the same work for less memory
   * per idle socket and less CPU per message; the answer rules are Nest's own.
   */
  override bindMessageHandlers(socket: Parameters<IoAdapter['bindMessageHandlers']>[0], handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As RxJS's fromEvent hands it to Nest: one argument alone, several as an array.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]) as { data: unknown; ack?: (response: unknown) => void };
        const answer = (response: unknown) => {
          if (response === null || response === undefined) return;
          const event = (response as { event?: string; data?: unknown }).event;
          if (event) socket.emit(event, (response as { data?: unknown }).data);
          else if (!isAckHandledManually && typeof ack === 'function') ack(response);
        };
        void Promise.resolve(callback(data, ack)).then((result) => (isObservable(result) ? result.subscribe(answer) : answer(result)));
      });
    }
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // Non-browser clients send no Origin; browsers always do.
    if (!origin) return true;
    if (this.config.corsOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
}
