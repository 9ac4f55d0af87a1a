import { PRESENCE_WATCH_MAX } from '@chat/shared';

export interface PresenceWatchChanges {
  subscribe: string[];
  unsubscribe: string[];
  /**
   * The server would be over the limit if it took the subscribe before the unsubscribe: wait for
   * the unsubscribe's ack first.
   */
  unsubscribeFirst: boolean;
  /** Of the connection these changes are for (see `reset`). */
  generation: number;
}

/**
 * Whose presence this tab shows, counted per user across every component that shows it, and what
 * the server has been asked to send. Pure bookkeeping: the caller emits what `takeChanges` returns.
 *
 * Over PRESENCE_WATCH_MAX users the most recently shown win: each `show` ranks its ids above
 * everything shown before (the first id of one call highest, as callers list them in display
 * order), so the open conversation and a freshly loaded page of the sidebar keep live statuses and
 * the users on screen the longest drop out first. They come back when room frees up.
 */
export class PresenceWatchRegistry {
  private readonly counts = new Map<string, number>();
  private readonly rank = new Map<string, number>();
  private clock = 0;
  private watchedCache: Set<string> | null = null;
  /** What the current connection holds, or has been asked to hold. */
  private readonly sent = new Set<string>();
  /** Watched at the last `takeDropped`. */
  private reported = new Set<string>();
  private generationValue = 0;

  constructor(private readonly max = PRESENCE_WATCH_MAX) {}

  get generation(): number {
    return this.generationValue;
  }

  show(userIds: readonly string[]): void {
    const top = this.clock + userIds.length;
    userIds.forEach((id, index) => {
      this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      this.rank.set(id, top - index);
    });
    this.clock = top;
    this.watchedCache = null;
  }

  hide(userIds: readonly string[]): void {
    for (const id of userIds) {
      const count = this.counts.get(id) ?? 0;
      if (count > 1) {
        this.counts.set(id, count - 1);
      } else {
        this.counts.delete(id);
        this.rank.delete(id);
      }
    }
    this.watchedCache = null;
  }

  /** Shown and within the limit: its status is (or is about to be) live. */
  isWatched(userId: string): boolean {
    return this.watched().has(userId);
  }

  watched(): ReadonlySet<string> {
    if (!this.watchedCache) {
      const ids = [...this.counts.keys()];
      if (ids.length > this.max) ids.sort((a, b) => (this.rank.get(b) ?? 0) - (this.rank.get(a) ?? 0));
      this.watchedCache = new Set(ids.slice(0, this.max));
    }
    return this.watchedCache;
  }

  /** What to emit so the server holds exactly the watched set; counted as sent from now on. */
  takeChanges(): PresenceWatchChanges {
    const watched = this.watched();
    const subscribe = [...watched].filter((id) => !this.sent.has(id));
    const unsubscribe = [...this.sent].filter((id) => !watched.has(id));
    const unsubscribeFirst = unsubscribe.length > 0 && this.sent.size + subscribe.length > this.max;
    for (const id of unsubscribe) this.sent.delete(id);
    for (const id of subscribe) this.sent.add(id);
    return { subscribe, unsubscribe, unsubscribeFirst, generation: this.generationValue };
  }

  /** The server did not take them (error or no answer): the next `takeChanges` asks again. */
  subscribeFailed(userIds: readonly string[], generation: number): void {
    if (generation !== this.generationValue) return;
    for (const id of userIds) this.sent.delete(id);
  }

  /** A new connection holds no subscriptions: the next `takeChanges` sends the whole watched set. */
  reset(): void {
    this.sent.clear();
    this.generationValue += 1;
  }

  /** Users watched at the previous call and not now (hidden, or pushed out by the limit). */
  takeDropped(): string[] {
    const watched = this.watched();
    const dropped = [...this.reported].filter((id) => !watched.has(id));
    this.reported = new Set(watched);
    return dropped;
  }
}
