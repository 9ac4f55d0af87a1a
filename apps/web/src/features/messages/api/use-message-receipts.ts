import { queryOptions } from '@tanstack/react-query';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/** Who has read one message, and when. */
export const messageReceiptsOptions = (messageId: string) =>
  queryOptions({
    queryKey: messageKeys.receipts(messageId),
    queryFn: ({ signal }) => messagesApi.receipts(messageId, signal),
    staleTime: 5_000,
  });
