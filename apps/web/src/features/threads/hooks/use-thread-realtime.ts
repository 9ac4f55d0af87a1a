import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { threadKeys } from '../api/use-threads';

/**
 * Keeps the followed threads (their unread badges) current: a reply anywhere, a summary change or a
 * thread read on any of the user's devices refetches the list. Mounted once in the shell.
 */
export function useThreadRealtime(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: threadKeys.all });
    const offs = [
      socket.onMessageReceived(({ message }) => {
        if (message.threadRootId) refresh();
      }),
      socket.on('thread:updated', refresh),
      socket.on('thread:read', refresh),
      socket.onResync(refresh),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, queryClient]);
}
