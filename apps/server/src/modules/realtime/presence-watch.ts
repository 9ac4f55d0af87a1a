import { randomUUID } from 'node:crypto';
import { PRESENCE_WATCH_MAX, type PresenceWatchResult } from '@chat/shared';
import type { PresenceSharedEvent, PresenceWithdrawnEvent } from '../../common/events/domain-events';
import type { PresenceService } from '../presence/presence.service';
import { type ChatNamespace, type ChatSocket, rooms } from './chat-socket.types';
import { SocketFailure } from './socket-errors';

/*
 * Presence by interest. A socket that subscribes to a user joins that user's watch room, and their
 * presence room too when it may see them now; transitions are emitted to the presence room only.
 * A privacy or membership change moves watchers in or out of the presence room, on every node.
 */

/** `presence:subscribe`: adds `userIds` to the socket's watch set and answers their presence as it may see it. */
export async function watchPresence(presence: PresenceService, socket: ChatSocket, userIds: string[]): Promise<PresenceWatchResult> {
  const watched = (socket.data.presenceWatched ??= new Set());
  const added = userIds.filter((id) => !watched.has(id));
  if (watched.size + added.length > PRESENCE_WATCH_MAX) {
    throw new SocketFailure({ code: 'PRESENCE_LIMIT', error: `A connection watches at most ${PRESENCE_WATCH_MAX} users; unsubscribe some first` });
  }
  // Counted before the first await, so concurrent subscribes cannot pass the cap together.
  for (const id of added) watched.add(id);
  try {
    // In the watch room before visibility is read: a user who opens up from here on lets it in.
    await socket.join(added.map(rooms.presenceWatch));
    const allowed = await presence.visibleTo(socket.data.userId, userIds);
    const joined = userIds.filter((id) => allowed.has(id) && watched.has(id));
    if (socket.connected) await socket.join(joined.map(rooms.presence));
    // Read again now that it is in the rooms: a user who closed up (or stopped being a contact) in
    // between evicted their room before this socket was in it, and would stay visible to it.
    const view = await presence.view(socket.data.userId, userIds);
    for (const id of joined) if (!view.visible.has(id)) await socket.leave(rooms.presence(id));
    return { presences: view.presences };
  } catch (error) {
    // A subscribe that fails changes nothing.
    await unwatchPresence(socket, added);
    throw error;
  }
}

/** `presence:unsubscribe`: no more updates about `userIds` on this socket. */
export async function unwatchPresence(socket: ChatSocket, userIds: string[]): Promise<void> {
  for (const id of userIds) {
    socket.data.presenceWatched?.delete(id);
    await socket.leave(rooms.presenceWatch(id));
    await socket.leave(rooms.presence(id));
  }
}

/** Lets in the watchers who may now see the user (those not in yet) and tells them the status. */
export function sharePresence(server: ChatNamespace, { userId, among, update }: PresenceSharedEvent): void {
  const within = among === 'all' ? undefined : 'conversationId' in among ? [rooms.conversation(among.conversationId)] : among.userIds.map(rooms.user);
  if (within?.length === 0) return;
  staged(server, { from: [rooms.presenceWatch(userId)], except: [rooms.presence(userId)], within }, (staging) => {
    server.in(staging).socketsJoin(rooms.presence(userId));
    if (update) server.to(staging).emit('presence:update', update);
  });
}

/** The watchers who may no longer see the user see them go offline (no last seen) and are let out. */
export function withdrawPresence(server: ChatNamespace, { userId, from }: PresenceWithdrawnEvent): void {
  const room = rooms.presence(userId);
  const target =
    'allBut' in from
      ? { from: [room], except: [rooms.user(userId), ...from.allBut.map(rooms.user)] }
      : { from: [room], within: from.userIds.filter((id) => id !== userId).map(rooms.user) };
  if (target.within?.length === 0) return;
  staged(server, target, (staging) => {
    // Out first, so no transition can reach them after the offline.
    server.in(staging).socketsLeave(room);
    server.to(staging).emit('presence:update', { userId, status: 'offline' });
  });
}

/**
 * Socket.io rooms can be unioned and excluded but not intersected; a throwaway room can: copy
 * `from` less `except` into it, drop whoever is in none of `within`, act on it, discard it. Each
 * step is one adapter operation, applied in this order on every node.
 */
function staged(server: ChatNamespace, target: { from: string[]; except?: string[]; within?: string[] }, act: (staging: string) => void): void {
  const staging = `presence-staging:${randomUUID()}`;
  server
    .in(target.from)
    .except(target.except ?? [])
    .socketsJoin(staging);
  if (target.within) server.in(staging).except(target.within).socketsLeave(staging);
  act(staging);
  server.in(staging).socketsLeave(staging);
}
