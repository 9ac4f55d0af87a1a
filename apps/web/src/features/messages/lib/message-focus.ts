import { MESSAGE_PAGE_DEFAULT } from '@chat/shared';
import { type ChatMessage, isPending } from './message-cache';

/** A message to open a conversation at (a search result, a link): shown, scrolled to and highlighted. */
export interface MessageFocus {
  id: string;
  /** Where it sits, so it can be paged back or jumped to; without it only a loaded message is found. */
  seq?: number;
  /** Changes on every navigation, so opening the same message again highlights it again. */
  key: string;
}

/**
 * `/c/:id?message=<id>&seq=<seq>`: the one place the link's format is written. A thread reply opens
 * its thread instead (`?thread=<rootId>`): replies are not in the main list.
 */
export function messageFocusLink(conversationId: string, message: { id: string; seq: number; threadRootId?: string | null }): string {
  if (message.threadRootId) return threadLink(conversationId, message.threadRootId);
  return `/c/${encodeURIComponent(conversationId)}?${new URLSearchParams({ message: message.id, seq: String(message.seq) })}`;
}

/** `/c/:id?thread=<rootId>`: the conversation with that thread open. */
export const threadLink = (conversationId: string, rootId: string) => `/c/${encodeURIComponent(conversationId)}?${new URLSearchParams({ thread: rootId })}`;

export const parseThreadLink = (params: URLSearchParams): string | undefined => params.get('thread') ?? undefined;

export function parseMessageFocus(params: URLSearchParams, key: string): MessageFocus | undefined {
  const id = params.get('message');
  if (!id) return undefined;
  const seq = Number(params.get('seq'));
  return { id, seq: Number.isSafeInteger(seq) && seq > 0 ? seq : undefined, key };
}

/** A message at most this far below the oldest loaded one is paged back to; one further back is jumped to. */
export const PAGE_BACK_MAX = 2 * MESSAGE_PAGE_DEFAULT;

/** What is loaded of the live timeline or of a window: its messages, and whether older ones exist. */
export interface LoadedHistory {
  messages: readonly ChatMessage[];
  hasOlder: boolean;
}

/**
 * How to show a focused message, given what is loaded: where it already is (`show`), by loading a
 * page or two of older history (`page-back`), or by a window around it (`jump`). The open window
 * comes first, then the live timeline. Without a seq only a loaded message can be found.
 */
export type FocusPlan = { kind: 'show' | 'page-back'; in: 'window' | 'live' } | { kind: 'jump'; aroundSeq: number };

/** The focused message is among these (by id, or by seq for a stored one). */
export function holdsFocus(messages: readonly ChatMessage[] | undefined, focus: Pick<MessageFocus, 'id' | 'seq'>): boolean {
  return messages?.some((message) => message.id === focus.id || (focus.seq !== undefined && !isPending(message) && message.seq === focus.seq)) ?? false;
}

export function planFocus(focus: Pick<MessageFocus, 'id' | 'seq'>, live: LoadedHistory | undefined, window: LoadedHistory | undefined): FocusPlan {
  if (holdsFocus(window?.messages, focus)) return { kind: 'show', in: 'window' };
  if (holdsFocus(live?.messages, focus)) return { kind: 'show', in: 'live' };
  const { seq } = focus;
  if (seq === undefined) return { kind: 'show', in: window ? 'window' : 'live' };
  const within = (history: LoadedHistory | undefined) => {
    const oldest = history?.messages.find((message) => !isPending(message))?.seq;
    return history !== undefined && history.hasOlder && oldest !== undefined && seq < oldest && oldest - seq <= PAGE_BACK_MAX;
  };
  if (within(window)) return { kind: 'page-back', in: 'window' };
  if (within(live)) return { kind: 'page-back', in: 'live' };
  return { kind: 'jump', aroundSeq: seq };
}
