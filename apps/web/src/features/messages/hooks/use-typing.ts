import { useCallback, useEffect, useRef, useState } from 'react';
import { useSocket } from '../../../hooks/use-socket';

/** typing:start goes out at most this often while the user keeps typing. */
export const TYPING_THROTTLE_MS = 2_000;
/** The server stops a typist after 5 s of silence; this is the client's own safety net. */
const TYPING_EXPIRY_MS = 6_000;

/**
 * Who else is typing right now (user ids, in the order they started): in the conversation's main
 * list, or with `threadRootId` in that thread only. Each place has its own typists.
 */
export function useTypingUsers(conversationId: string, currentUserId: string | undefined, threadRootId?: string): string[] {
  const socket = useSocket();
  const [typing, setTyping] = useState<string[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const active = timers.current;
    const stop = (userId: string) => {
      clearTimeout(active.get(userId));
      active.delete(userId);
      setTyping((users) => (users.includes(userId) ? users.filter((id) => id !== userId) : users));
    };
    const off = socket.onTyping(({ conversationId: id, userId, threadRootId: thread, typing: isTyping }) => {
      if (id !== conversationId || thread !== threadRootId || userId === currentUserId) return;
      if (!isTyping) return stop(userId);
      clearTimeout(active.get(userId));
      active.set(
        userId,
        setTimeout(() => stop(userId), TYPING_EXPIRY_MS),
      );
      setTyping((users) => (users.includes(userId) ? users : [...users, userId]));
    });
    // A message from a typist ends their typing there at once.
    const offMessage = socket.onMessageReceived(({ message }) => {
      if (message.conversationId === conversationId && message.threadRootId === (threadRootId ?? null)) stop(message.senderId);
    });
    return () => {
      off();
      offMessage();
      for (const timer of active.values()) clearTimeout(timer);
      active.clear();
      setTyping([]);
    };
  }, [socket, conversationId, currentUserId, threadRootId]);

  return typing;
}

/**
 * The composer's side: `typed(text)` on every change, `stopped()` on send, blur or an emptied box.
 * With `threadRootId` the typing is in that thread (the thread panel's composer).
 */
export function useTypingNotifier(conversationId: string, threadRootId?: string) {
  const socket = useSocket();
  const lastStart = useRef(0);

  const stopped = useCallback(() => {
    if (lastStart.current === 0) return;
    lastStart.current = 0;
    socket.stopTyping(threadRootId ? { conversationId, threadRootId } : { conversationId });
  }, [socket, conversationId, threadRootId]);

  const typed = useCallback(
    (text: string) => {
      if (text.trim().length === 0) return stopped();
      const now = Date.now();
      if (now - lastStart.current < TYPING_THROTTLE_MS) return;
      lastStart.current = now;
      socket.startTyping(threadRootId ? { conversationId, threadRootId } : { conversationId });
    },
    [socket, conversationId, threadRootId, stopped],
  );

  useEffect(() => stopped, [stopped]);
  return { typed, stopped };
}

/** "Alice is typing…", "Alice and Bob are typing…", "Alice, Bob and 2 others are typing…". */
export function typingLabel(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing…`;
}
