import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './message-cache';
import { type LoadedHistory, messageFocusLink, PAGE_BACK_MAX, parseMessageFocus, parseThreadLink, planFocus } from './message-focus';

const ID = '00000000-0000-4000-8000-000000000001';

describe('message focus links', () => {
  it('round-trips a message through the link', () => {
    const link = new URL(messageFocusLink('c/1', { id: ID, seq: 42 }), 'http://localhost');
    expect(link.pathname).toBe('/c/c%2F1');
    expect(parseMessageFocus(link.searchParams, 'k1')).toEqual({ id: ID, seq: 42, key: 'k1' });
  });

  it('opens a thread reply in its thread, not in the main list', () => {
    const ROOT = '00000000-0000-4000-8000-000000000002';
    const link = new URL(messageFocusLink('c1', { id: ID, seq: 42, threadRootId: ROOT }), 'http://localhost');
    expect(link.pathname).toBe('/c/c1');
    expect(parseThreadLink(link.searchParams)).toBe(ROOT);
    expect(parseMessageFocus(link.searchParams, 'k')).toBeUndefined();
    expect(parseThreadLink(new URL(messageFocusLink('c1', { id: ID, seq: 42, threadRootId: null }), 'http://localhost').searchParams)).toBeUndefined();
  });

  it('has no focus without a message, and no seq when it is not a positive integer', () => {
    expect(parseMessageFocus(new URLSearchParams(''), 'k')).toBeUndefined();
    for (const seq of ['', 'abc', '0', '-3', '1.5']) expect(parseMessageFocus(new URLSearchParams({ message: ID, seq }), 'k')?.seq).toBeUndefined();
  });
});

const idOf = (seq: number) => `message-${seq}`;

function stored(seq: number): ChatMessage {
  return { id: idOf(seq), seq, status: 'delivered' } as ChatMessage;
}

/** Messages from..to loaded, older ones on the server unless it starts at 1. */
function loaded(from: number, to: number, extra: ChatMessage[] = []): LoadedHistory {
  return { messages: [...Array.from({ length: to - from + 1 }, (_, index) => stored(from + index)), ...extra], hasOlder: from > 1 };
}

const at = (seq: number) => ({ id: idOf(seq), seq });

describe('planFocus', () => {
  // The live timeline holds the latest page of a conversation of 1000 messages.
  const live = loaded(951, 1000);

  it('shows a message that is loaded where it is', () => {
    expect(planFocus(at(960), live, undefined)).toEqual({ kind: 'show', in: 'live' });
    expect(planFocus(at(20), live, loaded(1, 40))).toEqual({ kind: 'show', in: 'window' });
    // Newer than the open window but in the live timeline: back to it.
    expect(planFocus(at(990), live, loaded(1, 40))).toEqual({ kind: 'show', in: 'live' });
  });

  it('pages back to a message a page or two older than what is loaded', () => {
    expect(planFocus(at(951 - PAGE_BACK_MAX), live, undefined)).toEqual({ kind: 'page-back', in: 'live' });
    expect(planFocus(at(940), live, undefined)).toEqual({ kind: 'page-back', in: 'live' });
    expect(planFocus(at(300), live, loaded(301, 340))).toEqual({ kind: 'page-back', in: 'window' });
  });

  it('jumps to a message further back, however much is loaded, instead of paging back to it', () => {
    expect(planFocus(at(950 - PAGE_BACK_MAX), live, undefined)).toEqual({ kind: 'jump', aroundSeq: 950 - PAGE_BACK_MAX });
    // Twelve pages scrolled back already: still a jump, not twelve more pages.
    expect(planFocus(at(5), loaded(401, 1000), undefined)).toEqual({ kind: 'jump', aroundSeq: 5 });
    expect(planFocus(at(3), live, loaded(500, 540))).toEqual({ kind: 'jump', aroundSeq: 3 });
  });

  it('jumps to a message newer than the open window that nothing loaded holds', () => {
    expect(planFocus(at(600), live, loaded(1, 40))).toEqual({ kind: 'jump', aroundSeq: 600 });
  });

  it('jumps when the live timeline is not loaded, or the message sits in a hole of it', () => {
    expect(planFocus(at(960), undefined, undefined)).toEqual({ kind: 'jump', aroundSeq: 960 });
    const withHole = { messages: [...loaded(951, 960).messages, ...loaded(990, 1000).messages], hasOlder: true };
    expect(planFocus(at(970), withHole, undefined)).toEqual({ kind: 'jump', aroundSeq: 970 });
  });

  it('measures from the oldest stored message, not from pending ones', () => {
    const sending = { id: 'pending', seq: 0, status: 'sending' } as ChatMessage;
    const onlyRecent = { messages: [...loaded(951, 1000).messages, sending], hasOlder: true };
    expect(planFocus(at(900), onlyRecent, undefined)).toEqual({ kind: 'page-back', in: 'live' });
  });

  it('without a seq, only finds a loaded message and otherwise stays where it is', () => {
    expect(planFocus({ id: idOf(960) }, live, undefined)).toEqual({ kind: 'show', in: 'live' });
    expect(planFocus({ id: 'unknown' }, live, undefined)).toEqual({ kind: 'show', in: 'live' });
    expect(planFocus({ id: 'unknown' }, live, loaded(1, 40))).toEqual({ kind: 'show', in: 'window' });
  });

  it('at the beginning of the conversation, there is nothing older to page back to', () => {
    expect(planFocus(at(2), { messages: loaded(3, 40).messages, hasOlder: false }, undefined)).toEqual({ kind: 'jump', aroundSeq: 2 });
  });
});
