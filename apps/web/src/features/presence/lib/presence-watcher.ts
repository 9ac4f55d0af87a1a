import type { Presence } from '@chat/shared';
import { PresenceWatchRegistry, type PresenceWatchChanges } from './presence-watch-registry';

export interface PresenceWatcherDeps {
  /** The socket is authenticated and can emit now. */
  isReady(): boolean;
  /** Resolves with the users' current presence; rejects when the server refuses or does not answer. */
  subscribe(userIds: string[]): Promise<Presence[]>;
  unsubscribe(userIds: string[]): Promise<void>;
  /** Show these statuses. */
  store(presences: Presence[]): void;
  /** Nothing keeps these statuses live any more: show none rather than a stale one. */
  forget(userIds: string[]): void;
  /** Runs the flush once the current burst of changes is over; the next macrotask by default. */
  schedule?(flush: () => void): void;
}

/**
 * Keeps the server's presence subscriptions of this connection equal to whose presence the tab
 * shows. Changes made within one tick (a route change unmounting one list and mounting another)
 * go out as one unsubscribe and one subscribe; each batch is acknowledged before the next is sent,
 * so the server never counts more than PRESENCE_WATCH_MAX. After every (re)connect the whole set is
 * subscribed again, since subscriptions belong to the connection.
 */
export class PresenceWatcher {
  private readonly registry: PresenceWatchRegistry;
  private readonly schedule: (flush: () => void) => void;
  private scheduled = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: PresenceWatcherDeps,
    max?: number,
  ) {
    this.registry = new PresenceWatchRegistry(max);
    this.schedule = deps.schedule ?? ((flush) => setTimeout(flush, 0));
  }

  /** A component started showing these users (in display order); pair with `hide`. */
  show(userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    this.registry.show(userIds);
    this.requestFlush();
  }

  hide(userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    this.registry.hide(userIds);
    this.requestFlush();
  }

  /** Its 'presence:update' events are wanted (shown, within the limit). */
  isWatched(userId: string): boolean {
    return this.registry.isWatched(userId);
  }

  /** Call after every (re)connect: the new connection holds no subscriptions yet. */
  connected(): void {
    this.registry.reset();
    // Batches still waiting for the old connection's acks must not hold up the new one.
    this.queue = Promise.resolve();
    this.requestFlush();
  }

  /**
   * Statuses fetched over HTTP. Used only while the socket is down: once it is up, its acks and
   * events are newer than any snapshot still on its way.
   */
  storeSnapshot(presences: readonly Presence[]): void {
    if (this.deps.isReady()) return;
    const watched = presences.filter((presence) => this.registry.isWatched(presence.userId));
    if (watched.length > 0) this.deps.store(watched);
  }

  private requestFlush(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const dropped = this.registry.takeDropped();
    if (dropped.length > 0) this.deps.forget(dropped);
    // Not connected: the next connected() sends the whole set.
    if (!this.deps.isReady()) return;
    const changes = this.registry.takeChanges();
    if (changes.subscribe.length === 0 && changes.unsubscribe.length === 0) return;
    this.queue = this.queue.then(() => this.send(changes));
  }

  private async send({ subscribe, unsubscribe, unsubscribeFirst, generation }: PresenceWatchChanges): Promise<void> {
    // A failed unsubscribe costs a few unwanted events until the next reconnect; they are ignored.
    const unsubscribed = unsubscribe.length > 0 ? this.deps.unsubscribe(unsubscribe).catch(() => undefined) : undefined;
    if (unsubscribeFirst) await unsubscribed;
    const subscribed =
      subscribe.length > 0
        ? this.deps.subscribe(subscribe).then(
            (presences) => {
              if (generation !== this.registry.generation) return;
              const watched = presences.filter((presence) => this.registry.isWatched(presence.userId));
              if (watched.length > 0) this.deps.store(watched);
            },
            () => this.registry.subscribeFailed(subscribe, generation),
          )
        : undefined;
    await Promise.all([unsubscribed, subscribed]);
  }
}
