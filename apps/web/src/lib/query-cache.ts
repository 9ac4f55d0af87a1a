import type { DataTag, QueryClient, QueryFilters, QueryKey, Updater } from '@tanstack/react-query';

/**
 * Writes a server event's change into a cached query. A fetch of that query already in flight may
 * have read the server before the event's write; when it lands it replaces the cache, change and
 * all. So the change is applied again once that fetch settles: updaters here are idempotent (they
 * merge by id and seq, or only move markers forward), so applying one to data that already holds
 * it changes nothing. Nothing is fetched again: a busy room or a page of older history loading
 * while messages arrive costs no extra request.
 */
export function patchQueryData<TData, TError>(
  queryClient: QueryClient,
  queryKey: DataTag<QueryKey, TData, TError>,
  updater: Updater<TData | undefined, TData | undefined>,
): void {
  queryClient.setQueryData<TData>(queryKey, updater);
  const cache = queryClient.getQueryCache();
  const query = cache.find({ queryKey, exact: true });
  if (query?.state.fetchStatus !== 'fetching') return;
  const unsubscribe = cache.subscribe((event) => {
    if (event.query !== query) return;
    if (event.type === 'removed') return unsubscribe();
    if (event.type !== 'updated' || query.state.fetchStatus !== 'idle') return;
    unsubscribe();
    queryClient.setQueryData<TData>(queryKey, updater);
  });
}

/**
 * Marks queries stale and refetches the ones on screen, so what they show is read after a change
 * the server just announced. A refetch joins a first load already in flight instead of starting
 * anew, and that load may have read before the change: such loads are cancelled and started again.
 */
export async function refetchAfterChange(queryClient: QueryClient, filters: QueryFilters): Promise<void> {
  const firstLoads = queryClient
    .getQueryCache()
    .findAll(filters)
    .filter((query) => query.state.data === undefined && query.state.fetchStatus === 'fetching');
  await Promise.all(firstLoads.map((query) => queryClient.cancelQueries({ queryKey: query.queryKey, exact: true })));
  await queryClient.invalidateQueries(filters);
}
