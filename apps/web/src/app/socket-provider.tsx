import { type ReactNode, useEffect, useState } from 'react';
import { SocketContext } from '../hooks/use-socket';
import { apiClient } from '../lib/api-client';
import { ChatSocketService } from '../lib/socket';

/** One socket per signed-in shell: opened on mount, closed on sign-out (the shell unmounts). */
export function SocketProvider({ children }: { children: ReactNode }) {
  const [service] = useState(() => new ChatSocketService({ api: apiClient }));
  useEffect(() => {
    service.connect();
    return () => service.disconnect();
  }, [service]);
  return <SocketContext value={service}>{children}</SocketContext>;
}
