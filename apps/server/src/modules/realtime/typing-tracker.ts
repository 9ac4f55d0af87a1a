/**
 * Typing state of this node's sockets. A start is broadcast at most once per `throttleMs` while
 * the user keeps typing; silence for `timeoutMs` (or a stop, or a disconnect) broadcasts the stop.
 */
export class TypingTracker {
  private readonly active = new Map<string, { timer: NodeJS.Timeout; lastBroadcast: number }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly throttleMs: number,
    private readonly broadcast: (kind: 'started' | 'stopped', socketId: string, conversationId: string) => void,
  ) {}

  start(socketId: string, conversationId: string): void {
    const key = `${socketId}|${conversationId}`;
    const entry = this.active.get(key);
    const now = Date.now();
    if (entry) clearTimeout(entry.timer);
    const timer = setTimeout(() => this.stop(socketId, conversationId), this.timeoutMs);
    timer.unref();
    if (!entry || now - entry.lastBroadcast >= this.throttleMs) {
      this.active.set(key, { timer, lastBroadcast: now });
      this.broadcast('started', socketId, conversationId);
    } else {
      entry.timer = timer;
    }
  }

  stop(socketId: string, conversationId: string): void {
    const key = `${socketId}|${conversationId}`;
    const entry = this.active.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.active.delete(key);
    this.broadcast('stopped', socketId, conversationId);
  }

  stopAll(socketId: string): void {
    for (const key of [...this.active.keys()]) {
      if (key.startsWith(`${socketId}|`)) this.stop(socketId, key.slice(socketId.length + 1));
    }
  }
}
