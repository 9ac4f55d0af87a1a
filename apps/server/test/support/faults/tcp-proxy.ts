import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'latency' | 'blackhole' | 'refuse';

interface Chunk {
  data: Buffer;
  due: number;
}

/** One direction of one proxied connection: an ordered queue that honours the proxy's mode. */
class Pipe {
  private readonly queue: Chunk[] = [];
  private timer?: NodeJS.Timeout;
  private queuedBytes = 0;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly link: Link,
    private readonly source: Socket,
    private readonly target: () => Socket | undefined,
  ) {
    source.on('data', (data: Buffer) => this.push(data));
  }

  private push(data: Buffer): void {
    this.queue.push({ data, due: Date.now() + this.proxy.latencyMs });
    this.queuedBytes += data.length;
    // Backpressure instead of buffering without bound: the kernel buffers fill up as on a real link.
    if (this.queuedBytes > 1_000_000) this.source.pause();
    this.flush();
  }

  flush(): void {
    if (this.timer) return;
    const target = this.target();
    if (!target || this.link.closed || this.link.abandoned || this.proxy.holding) return;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, wait);
        return;
      }
      this.queue.shift();
      this.queuedBytes -= head.data.length;
      target.write(head.data);
    }
    if (this.source.isPaused()) this.source.resume();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

class Link {
  upstream?: Socket;
  closed = false;
  /** Silently cut: neither direction is ever forwarded again, but neither side is told. */
  abandoned = false;
  readonly pipes: Pipe[] = [];

  constructor(
    private readonly proxy: FaultProxy,
    readonly client: Socket,
  ) {
    client.on('error', () => this.close());
    client.on('close', () => this.close());
    this.pipes.push(new Pipe(proxy, this, client, () => this.upstream));
  }

  connectUpstream(): void {
    if (this.upstream || this.closed) return;
    const upstream = connect(this.proxy.target.port, this.proxy.target.host);
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => this.close());
    upstream.on('close', () => this.close());
    this.pipes.push(new Pipe(this.proxy, this, upstream, () => this.client));
    upstream.once('connect', () => this.flush());
  }

  flush(): void {
    if (this.upstream?.connecting) return;
    for (const pipe of this.pipes) pipe.flush();
  }

  close(hard = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const pipe of this.pipes) pipe.clear();
    for (const socket of [this.client, this.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (hard && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
    }
    this.proxy.forget(this);
  }
}

export interface ProxyStats {
  connections: number;
  refused: number;
  resets: number;
  blackholes: number;
  abandoned: number;
}

/**
 * A TCP proxy for fault injection between the app and a backing service:
 * - pass: forwards everything;
 * - latency: delays every chunk by `latencyMs` in each direction, order kept;
 * - blackhole: accepts and holds connections, forwards nothing (a network partition); when it ends
 *   everything held is delivered, as TCP retransmission does once a partition heals;
 * - reset: destroys every connection (RST) and refuses new ones for a while;
 * - abandon: existing connections are silently cut forever (a NAT or firewall dropping their state),
 *   new ones work.
 */
export class FaultProxy {
  latencyMs = 0;
  holding = false;
  private refusing = false;
  private readonly links = new Set<Link>();
  private server?: Server;
  port = 0;
  readonly stats: ProxyStats = { connections: 0, refused: 0, resets: 0, blackholes: 0, abandoned: 0 };

  constructor(readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen(port);
    return proxy;
  }

  get mode(): ProxyMode {
    if (this.refusing) return 'refuse';
    if (this.holding) return 'blackhole';
    return this.latencyMs > 0 ? 'latency' : 'pass';
  }

  get openConnections(): number {
    return this.links.size;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer({ noDelay: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done());
    });
    this.port = (server.address() as { port: number }).port;
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      this.stats.refused++;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    this.stats.connections++;
    const link = new Link(this, client);
    this.links.add(link);
    // During a blackhole the connection is accepted but nothing reaches the service yet.
    if (!this.holding) link.connectUpstream();
  }

  forget(link: Link): void {
    this.links.delete(link);
  }

  pass(): void {
    this.latencyMs = 0;
    this.release();
  }

  latency(ms: number): void {
    this.latencyMs = ms;
  }

  blackhole(): void {
    this.stats.blackholes++;
    this.holding = true;
  }

  /** Ends a blackhole: held connections reach the service and held data is delivered, in order. */
  release(): void {
    this.holding = false;
    for (const link of this.links) {
      link.connectUpstream();
      link.flush();
    }
  }

  /** Destroys every connection with a reset and refuses new ones for `refuseMs`. */
  async reset(refuseMs: number): Promise<void> {
    this.stats.resets++;
    this.refusing = true;
    for (const link of [...this.links]) link.close(true);
    await new Promise((r) => setTimeout(r, refuseMs));
    this.refusing = false;
  }

  /** Local ports of the proxy's connections to the service (how the service sees this client). */
  upstreamPorts(): number[] {
    return [...this.links].map((l) => l.upstream?.localPort).filter((p): p is number => typeof p === 'number');
  }

  /** Silently cuts every open connection for good; returns how many. */
  abandonAll(): number {
    let count = 0;
    for (const link of this.links) {
      if (!link.abandoned) {
        link.abandoned = true;
        count++;
      }
    }
    this.stats.abandoned += count;
    return count;
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) link.close();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
