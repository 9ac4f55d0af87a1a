import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { ChatSocketService, ConnectionStatus } from '../lib/socket';
import type { ServerToClientEvents } from '@chat/shared';

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

/** Listens to one server event for as long as the component is mounted; the handler may change freely. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(
  event: E,
  handler: (payload: Parameters<ServerToClientEvents[E]>[0]) => void,
): void {
  const socket = useSocket();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => socket.on(event, (payload) => latest.current(payload)), [socket, event]);
}
