import type { Presence } from '@chat/shared';
import { type QueryClient, type QueryObserverResult, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useChatSocket, useSocket } from '../../../hooks/use-socket';
import type { ChatSocketService } from '../../../lib/socket';
import { presenceApi, presenceKeys, presenceOptions } from '../api/presence-api';
import { applyPresenceUpdate } from '../lib/presence-cache';
import { PresenceWatcher } from '../lib/presence-watcher';

/** While the socket is down, statuses come from an HTTP snapshot this often instead of events. */
const SNAPSHOT_REFRESH_MS = 60_000;

/** One watcher per socket: subscriptions belong to a connection. */
const watchers = new WeakMap<ChatSocketService, PresenceWatcher>();

function presenceWatcherOf(socket: ChatSocketService, queryClient: QueryClient): PresenceWatcher {
  let watcher = watchers.get(socket);
  if (!watcher) {
    watcher = new PresenceWatcher({
      isReady: () => socket.isReady,
      subscribe: async (userIds) => (await socket.subscribePresence(userIds)).presences,
      unsubscribe: (userIds) => socket.unsubscribePresence(userIds),
      store: (presences) => {
        for (const presence of presences) queryClient.setQueryData(presenceOptions(presence.userId).queryKey, presence);
      },
      forget: (userIds) => {
        const forgotten = new Set(userIds);
        void queryClient.resetQueries({ queryKey: presenceKeys.users(), predicate: ({ queryKey }) => forgotten.has(queryKey.at(-1) as string) });
      },
    });
    watchers.set(socket, watcher);
  }
  return watcher;
}

function usePresenceWatcher(): PresenceWatcher {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMemo(() => presenceWatcherOf(socket, queryClient), [socket, queryClient]);
}

const toPresenceMap = (results: QueryObserverResult<Presence>[]) => new Map(results.flatMap(({ data }) => (data ? [[data.userId, data] as const] : [])));

/**
 * Statuses of these users, live: while a component shows them, the server sends their transitions
 * to this tab. Users it has no status for yet (or beyond the watch limit) are missing from the map.
 */
export function usePresence(userIds: readonly (string | null | undefined)[]): Map<string, Presence> {
  // Callers pass fresh arrays each render; the set of ids matters, and its order ranks them for the watch limit.
  const key = [...new Set(userIds.filter((id): id is string => Boolean(id)))].join(',');
  const ids = useMemo(() => (key ? key.split(',') : []), [key]);
  const watcher = usePresenceWatcher();
  const { isConnected } = useChatSocket();

  // Show/hide by difference, so ids that stay on screen keep their place in the watch limit's ranking.
  const shown = useRef<readonly string[]>([]);
  useEffect(
    () => () => {
      watcher.hide(shown.current);
      shown.current = [];
    },
    [watcher],
  );
  useEffect(() => {
    const before = new Set(shown.current);
    const after = new Set(ids);
    watcher.hide(shown.current.filter((id) => !after.has(id)));
    watcher.show(ids.filter((id) => !before.has(id)));
    shown.current = ids;
  }, [watcher, ids]);

  // The first paint and fallback while the socket is down; once it is up, its acks and events take over.
  const sortedIds = useMemo(() => [...ids].sort(), [ids]);
  useQuery({
    queryKey: presenceKeys.snapshot(sortedIds),
    queryFn: async ({ signal }) => {
      const snapshot = await presenceApi.batch(sortedIds, signal);
      watcher.storeSnapshot(snapshot.presences);
      return snapshot;
    },
    enabled: ids.length > 0 && !isConnected,
    refetchInterval: SNAPSHOT_REFRESH_MS,
  });

  return useQueries({ queries: ids.map((id) => presenceOptions(id)), combine: toPresenceMap });
}

/** Mounted once: applies 'presence:update' of watched users, subscribes again after every (re)connect. */
export function usePresenceUpdates(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const watcher = usePresenceWatcher();
  useEffect(() => {
    const off = socket.on('presence:update', (event) => {
      // Late events of users no longer shown would only bring back a status nothing keeps live.
      if (!watcher.isWatched(event.userId)) return;
      queryClient.setQueryData(presenceOptions(event.userId).queryKey, (current) => applyPresenceUpdate(current, event));
    });
    const offResync = socket.onResync((reason) => {
      if (reason === 'connect') watcher.connected();
    });
    return () => {
      off();
      offResync();
    };
  }, [socket, queryClient, watcher]);
}
