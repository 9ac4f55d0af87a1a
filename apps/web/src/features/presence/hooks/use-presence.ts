import { type Presence, PRESENCE_BATCH_MAX, type PresenceBatchResponse } from '@chat/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { presenceApi, presenceKeys } from '../api/presence-api';
import { applyPresenceUpdate } from '../lib/presence-cache';

/** A fallback only: 'presence:update' events keep the statuses current between fetches. */
const PRESENCE_REFRESH_MS = 60_000;

/** Statuses of these users (one batch request), kept live by socket events. */
export function usePresence(userIds: readonly (string | null | undefined)[]): Map<string, Presence> {
  // Callers pass fresh arrays each render; only the set of ids matters.
  const key = [...new Set(userIds.filter((id): id is string => Boolean(id)))].sort().slice(0, PRESENCE_BATCH_MAX).join(',');
  const ids = useMemo(() => (key ? key.split(',') : []), [key]);
  const { data } = useQuery({
    queryKey: presenceKeys.batch(ids),
    queryFn: ({ signal }) => presenceApi.batch(ids, signal),
    enabled: ids.length > 0,
    staleTime: 30_000,
    refetchInterval: PRESENCE_REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  return useMemo(() => new Map((data?.presences ?? []).map((presence) => [presence.userId, presence])), [data]);
}

/** Mounted once: applies 'presence:update' to every cached batch, refetches after a reconnect. */
export function usePresenceUpdates(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  useEffect(() => {
    const off = socket.on('presence:update', (event) => {
      queryClient.setQueriesData<PresenceBatchResponse>({ queryKey: presenceKeys.all }, (data) => applyPresenceUpdate(data, event));
    });
    const offResync = socket.onResync((reason) => {
      if (reason === 'connect') void queryClient.invalidateQueries({ queryKey: presenceKeys.all });
    });
    return () => {
      off();
      offResync();
    };
  }, [socket, queryClient]);
}
