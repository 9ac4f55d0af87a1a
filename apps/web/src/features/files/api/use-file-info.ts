import type { UploadedFile } from '@chat/shared';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchFileInfo } from './files-api';
import { fileKeys } from './use-file-object-url';

/** Asks again after 1, 2, 4, 8 and 16 s, then gives up: a thumbnail takes a moment, or never comes. */
const POLL_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

export const fileInfoOptions = (id: string) =>
  queryOptions({
    queryKey: fileKeys.info(id),
    queryFn: ({ signal }) => fetchFileInfo(id, signal),
    staleTime: Infinity,
  });

/** An image as given, or, while it has no thumbnail yet, as its info says (asked a few times with backoff). */
export function useImageWithThumbnail(file: UploadedFile): { file: UploadedFile; waiting: boolean } {
  const queryClient = useQueryClient();
  const needed = file.thumbnailUrl === undefined;
  const options = fileInfoOptions(file.id);
  const { data } = useQuery({
    ...options,
    enabled: needed,
    refetchInterval: (query) => (query.state.data?.thumbnailUrl ? false : (POLL_DELAYS_MS[query.state.dataUpdateCount - 1] ?? false)),
  });
  if (!needed) return { file, waiting: false };
  const latest = { ...file, ...data };
  const answers = queryClient.getQueryState(options.queryKey)?.dataUpdateCount ?? 0;
  return { file: latest, waiting: latest.thumbnailUrl === undefined && answers <= POLL_DELAYS_MS.length };
}
