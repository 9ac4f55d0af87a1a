import { type QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchFileBlob } from './files-api';

export const fileKeys = {
  all: ['files'] as const,
  objectUrl: (path: string) => [...fileKeys.all, 'object-url', path] as const,
  info: (id: string) => [...fileKeys.all, 'info', id] as const,
};

/** Files never change (their id is their ETag), so a fetched one stays for as long as it is cached. */
export const fileObjectUrlOptions = (path: string) =>
  queryOptions({
    queryKey: fileKeys.objectUrl(path),
    queryFn: async ({ signal }) => URL.createObjectURL(await fetchFileBlob(path, signal)),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });

const revoking = new WeakSet<QueryClient>();

/** Frees an object URL when its query leaves the cache. */
function revokeOnRemoval(queryClient: QueryClient): void {
  if (revoking.has(queryClient)) return;
  revoking.add(queryClient);
  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'removed') return;
    const [scope, kind] = event.query.queryKey as readonly unknown[];
    const url = event.query.state.data;
    if (scope === fileKeys.all[0] && kind === 'object-url' && typeof url === 'string') URL.revokeObjectURL(url);
  });
}

/** A URL an <img> or a download link can use for a file that needs the bearer token. */
export function useFileObjectUrl(path: string | undefined) {
  const queryClient = useQueryClient();
  revokeOnRemoval(queryClient);
  return useQuery({ ...fileObjectUrlOptions(path ?? ''), enabled: path !== undefined });
}
