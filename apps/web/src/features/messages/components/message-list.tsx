import { type KeyboardEvent, type ReactNode, type Ref, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import { Spinner } from '../../../components/ui/spinner';
import { useIntersection } from '../../../hooks/use-intersection';
import { cn } from '../../../lib/cn';
import type { ChatMessage } from '../lib/message-cache';

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_THRESHOLD = 48;
/** Room left above the first unread message (and its divider) when a conversation opens there. */
const ANCHOR_MARGIN = 12;
/** How long a message opened from search stays highlighted. */
const HIGHLIGHT_MS = 2_500;
/** Controls inside a message; only the current message's are in the Tab order. */
const INNER_FOCUSABLE = 'a[href], button, input, textarea, select, [tabindex]';

export interface MessageListHandle {
  /** Focuses a message (after its edit ends, for instance); false when it is not in the list. */
  focusMessage: (messageId: string) => boolean;
}

const itemKey = (message: ChatMessage) => message.clientMessageId + message.senderId;

export interface MessageListProps {
  messages: ChatMessage[];
  currentUserId: string | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
  /** A window opened around an old message, not at the live end yet: newer pages load as it scrolls down. */
  hasNewer?: boolean;
  loadingNewer?: boolean;
  loadNewer?: () => void;
  /**
   * Showing a window apart from the live timeline: a pill leads back to the latest messages, saying
   * "New messages" once `newSinceJump` of them arrived meanwhile.
   */
  onJumpToLatest?: () => void;
  newSinceJump?: number;
  renderMessage: (message: ChatMessage, index: number) => ReactNode;
  /** Rendered after the messages (typing indicator), inside the scroller. */
  children?: ReactNode;
  /** The message to open at (the first unread one) instead of the bottom. */
  anchorId?: string;
  /** A message to bring into view, focus and highlight briefly, once it is in the list; `key` repeats it. */
  highlight?: { id: string; key: string };
  ref?: Ref<MessageListHandle>;
}

/**
 * The scrolling timeline. It opens at `anchorId` (or the bottom); scrolling up loads older pages
 * without the view jumping; while the reader is at the bottom it follows new messages, otherwise a
 * "New messages" pill offers the way down. Showing a window around an old message, a pill always
 * offers the way back to the latest messages.
 *
 * For the keyboard the list is one Tab stop (a roving tabindex): arrow keys, Home and End move
 * between messages, Enter or the context-menu key opens the message's options, and Tab reaches the
 * current message's own controls (links, Retry) before leaving the list.
 */
export function MessageList({
  messages,
  currentUserId,
  hasOlder,
  loadingOlder,
  loadOlder,
  hasNewer = false,
  loadingNewer = false,
  loadNewer = noop,
  onJumpToLatest,
  newSinceJump = 0,
  renderMessage,
  children,
  anchorId,
  highlight,
  ref,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // Messages below the loaded ones (opened around an old message): the end of the list is not the live end.
  const moreBelow = useRef(hasNewer || loadingNewer);
  const previous = useRef<{ first?: string; last?: string; count: number; height: number; top: number; moreBelow?: boolean }>({
    count: 0,
    height: 0,
    top: 0,
  });
  const [unseen, setUnseen] = useState(0);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const highlightedFor = useRef<string | null>(null);

  // One page at a time: starting a fetch in one direction would cancel one running in the other.
  const loadingPage = loadingOlder || loadingNewer;
  useIntersection(topRef, loadOlder, { root: scrollRef, rootMargin: '240px 0px 0px 0px', enabled: hasOlder && !loadingPage, resetKey: messages[0]?.id });
  useIntersection(bottomRef, loadNewer, { root: scrollRef, rootMargin: '0px 0px 240px 0px', enabled: hasNewer && !loadingPage, resetKey: messages.at(-1)?.id });

  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'auto') => {
    const element = scrollRef.current;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior });
    atBottom.current = true;
    setUnseen(0);
  }, []);

  useLayoutEffect(() => {
    moreBelow.current = hasNewer || loadingNewer;
  }, [hasNewer, loadingNewer]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const before = previous.current;
    const first = messages[0]?.id;
    const last = messages.at(-1)?.id;
    if (before.count === 0) {
      const anchor = anchorId ? findItem(element, anchorId) : null;
      if (anchor) {
        element.scrollTop = Math.max(0, anchor.offsetTop - ANCHOR_MARGIN);
        // Pinned to the bottom only when everything from the anchor down fits; otherwise a late
        // resize (the typing line, a font) would scroll the first unread message away.
        atBottom.current = !moreBelow.current && element.scrollTop >= element.scrollHeight - element.clientHeight - 1;
      } else scrollToBottom();
    } else if (first !== before.first && last === before.last) {
      // Older messages went in above: keep what the reader was looking at where it was.
      element.scrollTop = before.top + (element.scrollHeight - before.height);
    } else if (last !== before.last) {
      const newest = messages.at(-1);
      // A message being sent follows the reader to the bottom; one already pending when a window joined the live end does not.
      const mine = !before.moreBelow && newest?.senderId === currentUserId && newest?.status !== 'delivered';
      if (atBottom.current || mine) scrollToBottom();
      // Newer history going in below on the way back to the live end is not news: no pill for it.
      else if (!before.moreBelow) {
        const added = messages.length - before.count;
        setUnseen((count) => count + Math.max(1, added));
      }
    } else if (atBottom.current) {
      // Same messages, new heights (an edit, a status line): stay pinned.
      element.scrollTop = element.scrollHeight;
    }
    previous.current = { first, last, count: messages.length, height: element.scrollHeight, top: element.scrollTop, moreBelow: moreBelow.current };
  }, [messages, currentUserId, scrollToBottom, anchorId]);

  // Declared after the positioning above so it runs after it: centre the message once it is rendered.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!highlight || !element || highlightedFor.current === highlight.key) return;
    // One try, when the list first has it to show: a message that loads later must not yank the view.
    highlightedFor.current = highlight.key;
    const item = findItem(element, highlight.id);
    if (!item) return;
    element.scrollTop = Math.max(0, item.offsetTop - (element.clientHeight - item.offsetHeight) / 2);
    atBottom.current = !moreBelow.current && element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_THRESHOLD;
    previous.current = { ...previous.current, height: element.scrollHeight, top: element.scrollTop };
    item.focus({ preventScroll: true });
    setHighlightedId(highlight.id);
  }, [highlight, messages]);

  useEffect(() => {
    if (highlightedId === null) return;
    const timer = setTimeout(() => setHighlightedId(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlightedId, highlight?.key]);

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

  const anchorKey = messages.find((message) => message.id === anchorId);
  const currentKey =
    activeKey !== null && messages.some((message) => itemKey(message) === activeKey)
      ? activeKey
      : anchorKey
        ? itemKey(anchorKey)
        : messages.length > 0
          ? itemKey(messages.at(-1) as ChatMessage)
          : null;

  // Every render: controls inside messages other than the current one leave the Tab order.
  useLayoutEffect(() => {
    for (const item of Array.from(listRef.current?.children ?? [])) {
      const current = item.getAttribute('data-item-key') === currentKey;
      for (const control of Array.from(item.querySelectorAll<HTMLElement>(INNER_FOCUSABLE))) {
        if (current && control.dataset.rovingHidden !== undefined) {
          control.removeAttribute('tabindex');
          delete control.dataset.rovingHidden;
        } else if (!current && control.getAttribute('tabindex') === null) {
          control.tabIndex = -1;
          control.dataset.rovingHidden = '';
        }
      }
    }
  });

  useImperativeHandle(
    ref,
    () => ({
      focusMessage: (messageId) => {
        const item = scrollRef.current ? findItem(scrollRef.current, messageId) : null;
        item?.focus();
        return Boolean(item);
      },
    }),
    [],
  );

  const handleKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const item = event.target as HTMLElement;
    // Keys inside a message's own controls (the editor, a menu) are theirs.
    const list = listRef.current;
    if (!list || item.parentElement !== list) return;
    const items = Array.from(list.children) as HTMLElement[];
    const index = items.indexOf(item);
    const move = (next: number) => {
      event.preventDefault();
      items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
    };
    if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const trigger = item.querySelector<HTMLButtonElement>('button[aria-label="Message options"]');
      if (!trigger) return;
      event.preventDefault();
      // The menu remembers the message as its opener and hands focus back to it when it closes.
      trigger.click();
    }
  };

  const handleScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    atBottom.current = !moreBelow.current && element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_THRESHOLD;
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
            <ol ref={listRef} onKeyDown={handleKeyDown} className="flex flex-col gap-1.5">
              {messages.map((message, index) => {
                const key = itemKey(message);
                return (
                  <li
                    key={key}
                    data-item-key={key}
                    tabIndex={key === currentKey ? 0 : -1}
                    onFocus={() => setActiveKey(key)}
                    data-highlighted={message.id === highlightedId ? '' : undefined}
                    className={cn(
                      'rounded-lg transition-colors duration-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
                      message.id === highlightedId && 'bg-amber-100 ring-2 ring-amber-300',
                    )}
                  >
                    {renderMessage(message, index)}
                  </li>
                );
              })}
            </ol>
          </div>
          {(hasNewer || loadingNewer) && (
            <div ref={bottomRef} className="flex min-h-1 justify-center">
              {loadingNewer && (
                <span role="status" className="flex items-center gap-2 py-2 text-xs text-slate-500">
                  <Spinner className="size-3.5" />
                  Loading newer messages…
                </span>
              )}
            </div>
          )}
          {children}
        </div>
      </div>
      {onJumpToLatest ? (
        <button type="button" onClick={onJumpToLatest} className={PILL}>
          {newSinceJump > 0 ? 'New messages ↓' : 'Jump to latest ↓'}
        </button>
      ) : (
        unseen > 0 && (
          <button type="button" onClick={() => scrollToBottom('smooth')} className={PILL}>
            New messages ↓
          </button>
        )
      )}
    </div>
  );
}

const PILL =
  'absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-indigo-600 px-3.5 py-1.5 text-xs font-semibold text-white shadow-lg hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

function noop() {}

function findItem(scroller: HTMLElement, messageId: string): HTMLElement | null {
  return scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`)?.closest<HTMLElement>('li[data-item-key]') ?? null;
}
