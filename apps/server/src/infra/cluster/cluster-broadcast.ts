import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export type BroadcastListener = (message: string) => void;

/**
 * Tells every node, this one included, that something changed, for what a node keeps in memory of
 * shared state. This node's listeners run before `publish` returns; other nodes hear it moments
 * later. A signal is sent once and never retried, so a listener must live with one lost (its cache
 * expires) and must drop what it kept on `reset`: the link to the other nodes was down and signals
 * may have been missed.
 * Port: Redis pub/sub on a cluster, in process on one node.
 */
export abstract class ClusterBroadcast {
  protected readonly listeners = new Map<string, Array<{ onMessage: BroadcastListener; onReset?: () => void }>>();

  /** Resolves once the signal has left this node (or could not: the promise rejects). */
  abstract publish(channel: string, message: string): Promise<void>;

  subscribe(channel: string, onMessage: BroadcastListener, onReset?: () => void): void {
    const forChannel = this.listeners.get(channel) ?? [];
    forChannel.push({ onMessage, onReset });
    this.listeners.set(channel, forChannel);
  }

  abstract close(): Promise<void>;

  protected deliver(channel: string, message: string): void {
    for (const listener of this.listeners.get(channel) ?? []) listener.onMessage(message);
  }

  protected reset(): void {
    for (const forChannel of this.listeners.values()) for (const listener of forChannel) listener.onReset?.();
  }
}

export class LocalClusterBroadcast extends ClusterBroadcast {
  async publish(channel: string, message: string): Promise<void> {
    this.deliver(channel, message);
  }

  async close(): Promise<void> {}
}

/** Each node sends under its own id and skips its own signals, which it delivered when it sent them. */
const SEPARATOR = '\n';

export class RedisClusterBroadcast extends ClusterBroadcast {
  private readonly nodeId = randomUUID();
  private subscriber: Redis | null = null;
  private readonly channels = new Set<string>();

  /** `prefix` keeps deployments (and test runs) that share a Redis apart: pub/sub channels ignore keyPrefix. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async publish(channel: string, message: string): Promise<void> {
    this.deliver(channel, message);
    await this.redis.publish(this.prefix + channel, this.nodeId + SEPARATOR + message);
  }

  override subscribe(channel: string, onMessage: BroadcastListener, onReset?: () => void): void {
    super.subscribe(channel, onMessage, onReset);
    const subscriber = this.connection();
    if (!this.channels.has(channel)) {
      this.channels.add(channel);
      // ioredis subscribes again by itself after a reconnect.
      subscriber.subscribe(this.prefix + channel).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.redis.duplicate();
    subscriber.on('error', () => undefined);
    subscriber.on('message', (fullChannel: string, raw: string) => {
      const at = raw.indexOf(SEPARATOR);
      if (at < 0 || raw.slice(0, at) === this.nodeId || !fullChannel.startsWith(this.prefix)) return;
      this.deliver(fullChannel.slice(this.prefix.length), raw.slice(at + 1));
    });
    let connectedBefore = false;
    subscriber.on('ready', () => {
      // Whatever was published while this connection was down is lost.
      if (connectedBefore) this.reset();
      connectedBefore = true;
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
