import type { MessageReactionsEvent } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { applyReactionsEvent, applyReactionState, mergeReactions, toggleReaction } from './reactions';

const me = 'me-id';
const other = 'other-id';
const held = {
  reactionsVersion: 3,
  reactions: [
    { emoji: '👍', count: 2, me: true },
    { emoji: '🎉', count: 1, me: false },
  ],
};
const event = (version: number, change: MessageReactionsEvent['change'], reactions: MessageReactionsEvent['reactions']): MessageReactionsEvent => ({
  conversationId: 'c',
  messageId: 'm',
  reactionsVersion: version,
  reactions,
  change,
});

describe('reactions in the cache', () => {
  it('applies only a newer event, keeping my `me` for emoji others changed', () => {
    const next = applyReactionsEvent(
      held,
      event(4, { userId: other, emoji: '🎉', on: true }, [
        { emoji: '👍', count: 2 },
        { emoji: '🎉', count: 2 },
      ]),
      me,
    );
    expect(next).toEqual({
      reactionsVersion: 4,
      reactions: [
        { emoji: '👍', count: 2, me: true },
        { emoji: '🎉', count: 2, me: false },
      ],
    });
    expect(applyReactionsEvent(next, event(3, { userId: other, emoji: '🎉', on: false }, []), me)).toBe(next);
    expect(applyReactionsEvent(next, event(4, { userId: other, emoji: '🎉', on: false }, []), me)).toBe(next);
  });

  it('flips `me` for my own change, from any of my devices', () => {
    const next = applyReactionsEvent(
      held,
      event(4, { userId: me, emoji: '👍', on: false }, [
        { emoji: '👍', count: 1 },
        { emoji: '🎉', count: 1 },
      ]),
      me,
    );
    expect(next.reactions[0]).toEqual({ emoji: '👍', count: 1, me: false });
    const added = applyReactionsEvent(
      next,
      event(5, { userId: me, emoji: '🎉', on: true }, [
        { emoji: '👍', count: 1 },
        { emoji: '🎉', count: 2 },
      ]),
      me,
    );
    expect(added.reactions[1]).toEqual({ emoji: '🎉', count: 2, me: true });
  });

  it('shows a click at once and takes it back exactly', () => {
    const on = toggleReaction(held, '🎉', true);
    expect(on.reactions[1]).toEqual({ emoji: '🎉', count: 2, me: true });
    expect(toggleReaction(on, '🎉', false)).toEqual(held);
    const fresh = toggleReaction(held, '🚀', true);
    expect(fresh.reactions.at(-1)).toEqual({ emoji: '🚀', count: 1, me: true });
    expect(toggleReaction(fresh, '🚀', false)).toEqual(held);
    // Already in that state: nothing to show.
    expect(toggleReaction(held, '👍', true)).toBe(held);
  });

  it('takes the answer to my change unless something newer is held', () => {
    const state = { reactionsVersion: 4, reactions: [{ emoji: '👍', count: 3, me: true }] };
    expect(applyReactionState(held, state)).toEqual(state);
    expect(applyReactionState({ ...held, reactionsVersion: 5 }, state).reactionsVersion).toBe(5);
  });

  it('keeps held reactions over an older copy, and my `me` over a copy sent to the room', () => {
    const stale = { reactionsVersion: 2, reactions: [], content: 'edited' };
    expect(mergeReactions(held, stale)).toEqual({ ...held, content: 'edited' });
    const roomCopy = { reactionsVersion: 4, reactions: [{ emoji: '👍', count: 3, me: false }], content: 'edited' };
    expect(mergeReactions(held, roomCopy, { roomCopy: true }).reactions).toEqual([{ emoji: '👍', count: 3, me: true }]);
    expect(mergeReactions(held, roomCopy).reactions).toEqual(roomCopy.reactions);
  });
});
