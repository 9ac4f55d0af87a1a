import type { ChatSocket } from './chat-socket.types';

/**
 * The two places engine.io keeps output it has not sent. Both are private in its types (there is no
 * public way to ask), so they are read through this narrow shape only, and may be absent.
 */
interface EngineOutput {
  /** Packets queued while the transport is not writable. */
  writeBuffer?: readonly unknown[];
  /** The WebSocket under the transport: bytes handed to it but not yet flushed to the network. */
  transport?: { socket?: { bufferedAmount?: number } };
}

export interface SocketBacklog {
  packets: number;
  bytes: number;
}

/** How much output is waiting for this socket's client to read it. */
export function socketBacklog(socket: ChatSocket): SocketBacklog {
  const output = socket.conn as unknown as EngineOutput;
  return { packets: output.writeBuffer?.length ?? 0, bytes: output.transport?.socket?.bufferedAmount ?? 0 };
}
