import type { ReceiptCountEvent } from '@chat/shared';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { messageKeys } from './message-keys';

/** The latest 'receipt:count' of a large group: fed by the socket only, never fetched. */
export const readCountOptions = (conversationId: string) =>
  queryOptions<ReceiptCountEvent | null>({ queryKey: messageKeys.readCount(conversationId), queryFn: skipToken });

export function useBatchedReadCount(conversationId: string): ReceiptCountEvent | undefined {
  return useQuery(readCountOptions(conversationId)).data ?? undefined;
}
