/** Where a user types: a conversation's main list, or one thread of it (`threadRootId`). */
export interface TypingPlace {
  conversationId: string;
  threadRootId?: string;
}

const MAIN = '';
const keyOf = (socketId: string, { conversationId, threadRootId }: TypingPlace) => `${socketId}|${conversationId}|${threadRootId ?? MAIN}`;

/**
 * Typing state of this node's sockets, per conversation and thread (the main list is a place of
 * its own). A start is broadcast at most once per `throttleMs` while the user keeps typing there;
 * silence for `timeoutMs` (or a stop, or a disconnect) broadcasts the stop.
 */
export class TypingTracker {
  private readonly active = new Map<string, { timer: NodeJS.Timeout; lastBroadcast: number; place: TypingPlace }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly throttleMs: number,
    private readonly broadcast: (kind: 'started' | 'stopped', socketId: string, place: TypingPlace) => void,
  ) {}

  start(socketId: string, place: TypingPlace): void {
    const key = keyOf(socketId, place);
    const entry = this.active.get(key);
    const now = Date.now();
    if (entry) clearTimeout(entry.timer);
    const timer = setTimeout(() => this.stop(socketId, place), this.timeoutMs);
    timer.unref();
    if (!entry || now - entry.lastBroadcast >= this.throttleMs) {
      this.active.set(key, { timer, lastBroadcast: now, place });
      this.broadcast('started', socketId, place);
    } else {
      entry.timer = timer;
    }
  }

  stop(socketId: string, place: TypingPlace): void {
    const key = keyOf(socketId, place);
    const entry = this.active.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.active.delete(key);
    this.broadcast('stopped', socketId, entry.place);
  }

  /** Every place of the conversation (its main list and its threads): the socket left its room. */
  stopConversation(socketId: string, conversationId: string): void {
    this.stopWhere(socketId, (place) => place.conversationId === conversationId);
  }

  stopAll(socketId: string): void {
    this.stopWhere(socketId, () => true);
  }

  private stopWhere(socketId: string, matches: (place: TypingPlace) => boolean): void {
    for (const [key, { place }] of [...this.active]) {
      if (key.startsWith(`${socketId}|`) && matches(place)) this.stop(socketId, place);
    }
  }
}
