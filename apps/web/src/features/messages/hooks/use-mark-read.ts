import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { applyReadToList, cachedConversation } from '../../conversations';
import { messagesApi } from '../api/messages-api';
import type { ChatMessage } from '../lib/message-cache';

/** Reading is reported once the newest visible message has stayed the same this long. */
export const MARK_READ_DEBOUNCE_MS = 1_000;
/** A message counts as seen when this much of it is on screen (or it fills half the screen). */
const SEEN_RATIO = 0.6;

function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const screen = entry.rootBounds?.height ?? window.innerHeight;
  return entry.intersectionRatio >= SEEN_RATIO || entry.intersectionRect.height >= screen / 2;
}

/**
 * Marks messages from others as read as they are actually seen (mostly on screen, not clipped by
 * the list or hidden behind a peek at its edge) while the tab is visible. Returns a
 * ref callback for each such message's element (which carries its seq in `data-read-seq`). Only the
 * newest visible message is reported, and only forward: the server marker never moves back anyway.
 */
export function useMarkRead(conversationId: string, messages: readonly ChatMessage[], currentUserId: string | undefined) {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const visible = useRef(new Set<number>());
  const reported = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const observer = useRef<IntersectionObserver | null>(null);
  const idBySeq = useRef(new Map<number, string>());

  useEffect(() => {
    const map = new Map<number, string>();
    for (const message of messages) if (message.status === 'delivered' && message.senderId !== currentUserId) map.set(message.seq, message.id);
    idBySeq.current = map;
  }, [messages, currentUserId]);

  const flush = useCallback(() => {
    if (document.visibilityState !== 'visible') return;
    const newest = Math.max(0, ...visible.current);
    const messageId = idBySeq.current.get(newest);
    if (!messageId || newest <= reported.current) return;
    const conversation = cachedConversation(queryClient, conversationId);
    reported.current = newest;
    if (conversation && conversation.lastReadSeq >= newest && conversation.unreadCount === 0) return;
    const request = socket.isReady ? socket.markRead(conversationId, messageId) : messagesApi.markRead(conversationId, messageId);
    void Promise.resolve(request)
      .then((read) => applyReadToList(queryClient, conversationId, read))
      .catch(() => {
        // Try again with the next change (a reconnect re-renders, a new message arrives).
        reported.current = 0;
      });
  }, [socket, queryClient, conversationId]);

  const schedule = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, MARK_READ_DEBOUNCE_MS);
  }, [flush]);

  useEffect(() => {
    const onVisibility = () => schedule();
    document.addEventListener('visibilitychange', onVisibility);
    const offResync = socket.onResync(() => {
      reported.current = 0;
      schedule();
    });
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      offResync();
      clearTimeout(timer.current);
      observer.current?.disconnect();
      observer.current = null;
    };
  }, [schedule, socket]);

  return useCallback(
    (element: HTMLElement | null) => {
      if (!element || typeof IntersectionObserver === 'undefined') return;
      observer.current ??= new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            const seq = Number((entry.target as HTMLElement).dataset.readSeq);
            if (!Number.isFinite(seq)) continue;
            if (isSeen(entry)) visible.current.add(seq);
            else visible.current.delete(seq);
          }
          schedule();
        },
        { threshold: [0, 0.25, 0.5, SEEN_RATIO, 0.8, 1] },
      );
      const current = observer.current;
      current.observe(element);
      return () => {
        current.unobserve(element);
        visible.current.delete(Number(element.dataset.readSeq));
      };
    },
    [schedule],
  );
}
