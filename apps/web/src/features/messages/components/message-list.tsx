import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Spinner } from '../../../components/ui/spinner';
import { useIntersection } from '../../../hooks/use-intersection';
import type { ChatMessage } from '../lib/message-cache';

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_THRESHOLD = 48;

export interface MessageListProps {
  messages: ChatMessage[];
  currentUserId: string | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
  renderMessage: (message: ChatMessage, index: number) => ReactNode;
  /** Rendered after the messages (typing indicator), inside the scroller. */
  children?: ReactNode;
}

/**
 * The scrolling timeline. Scrolling up loads older pages without the view jumping; while the
 * reader is at the bottom it follows new messages, otherwise a "New messages" pill offers the way down.
 */
export function MessageList({ messages, currentUserId, hasOlder, loadingOlder, loadOlder, renderMessage, children }: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previous = useRef<{ first?: string; last?: string; count: number; height: number; top: number }>({ count: 0, height: 0, top: 0 });
  const [unseen, setUnseen] = useState(0);

  useIntersection(topRef, loadOlder, { root: scrollRef, rootMargin: '240px 0px 0px 0px', enabled: hasOlder && !loadingOlder, resetKey: messages[0]?.id });

  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'auto') => {
    const element = scrollRef.current;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior });
    atBottom.current = true;
    setUnseen(0);
  }, []);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const before = previous.current;
    const first = messages[0]?.id;
    const last = messages.at(-1)?.id;
    if (before.count === 0) {
      scrollToBottom();
    } else if (first !== before.first && last === before.last) {
      // Older messages went in above: keep what the reader was looking at where it was.
      element.scrollTop = before.top + (element.scrollHeight - before.height);
    } else if (last !== before.last) {
      const newest = messages.at(-1);
      const mine = newest?.senderId === currentUserId && newest?.status !== 'delivered';
      if (atBottom.current || mine) scrollToBottom();
      else {
        const added = messages.length - before.count;
        setUnseen((count) => count + Math.max(1, added));
      }
    } else if (atBottom.current) {
      // Same messages, new heights (an edit, a status line): stay pinned.
      element.scrollTop = element.scrollHeight;
    }
    previous.current = { first, last, count: messages.length, height: element.scrollHeight, top: element.scrollTop };
  }, [messages, currentUserId, scrollToBottom]);

  // The typing indicator appearing must not push the newest message out of view.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    for (const child of Array.from(element.children)) observer.observe(child);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const handleScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_THRESHOLD;
    previous.current = { ...previous.current, height: element.scrollHeight, top: element.scrollTop };
    if (atBottom.current) setUnseen(0);
  };

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div ref={scrollRef} onScroll={handleScroll} className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain bg-slate-50 px-3 py-4 sm:px-6">
        <div>
          <div ref={topRef} className="flex min-h-1 justify-center">
            {loadingOlder && (
              <span role="status" className="flex items-center gap-2 py-2 text-xs text-slate-500">
                <Spinner className="size-3.5" />
                Loading older messages…
              </span>
            )}
            {!hasOlder && messages.length > 0 && <span className="py-2 text-xs text-slate-500">Beginning of the conversation</span>}
          </div>
          <div role="log" aria-label="Message history" aria-live="polite">
            <ol className="flex flex-col gap-1.5">
              {messages.map((message, index) => (
                <li key={message.clientMessageId + message.senderId}>{renderMessage(message, index)}</li>
              ))}
            </ol>
          </div>
          {children}
        </div>
      </div>
      {unseen > 0 && (
        <button
          type="button"
          onClick={() => scrollToBottom('smooth')}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-indigo-600 px-3.5 py-1.5 text-xs font-semibold text-white shadow-lg hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          New messages ↓
        </button>
      )}
    </div>
  );
}
