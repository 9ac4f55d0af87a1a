import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatSocketService, ConnectionStatus } from '../lib/socket';

export const SocketContext = createContext<ChatSocketService | null>(null);

/** The tab's chat socket service (inside the signed-in shell only). */
export function useSocket(): ChatSocketService {
  const service = useContext(SocketContext);
  if (!service) throw new Error('useSocket must be used inside <SocketProvider>');
  return service;
}

/** The service plus its connection status, re-rendering when the status changes. */
export function useChatSocket(): { socket: ChatSocketService; status: ConnectionStatus; isConnected: boolean } {
  const socket = useSocket();
  const status = useSyncExternalStore(
    (onChange) => socket.onStatusChange(onChange),
    () => socket.status,
  );
  return { socket, status, isConnected: status === 'connected' };
}
