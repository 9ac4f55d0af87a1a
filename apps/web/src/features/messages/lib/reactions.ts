import type { Message, MessageReaction, MessageReactionsEvent, ReactionState } from '@chat/shared';

type WithReactions = Pick<Message, 'reactions' | 'reactionsVersion'>;

const meOf = (reactions: readonly MessageReaction[], emoji: string) => reactions.find((reaction) => reaction.emoji === emoji)?.me ?? false;

/**
 * `message:reactions`: taken only when newer than what is held (events of one message may arrive
 * out of order across nodes). Counts come from the event; `me` stays as held but for the changed
 * emoji when the change is the viewer's own.
 */
export function applyReactionsEvent<M extends WithReactions>(message: M, event: MessageReactionsEvent, viewerId: string | undefined): M {
  if (event.reactionsVersion <= message.reactionsVersion) return message;
  const mine = event.change.userId === viewerId;
  return {
    ...message,
    reactionsVersion: event.reactionsVersion,
    reactions: event.reactions.map(({ emoji, count }) => ({
      emoji,
      count,
      me: mine && emoji === event.change.emoji ? event.change.on : meOf(message.reactions, emoji),
    })),
  };
}

/** The answer to this viewer's own change (ack or REST): their `me` included, so it wins unless something newer is held. */
export function applyReactionState<M extends WithReactions>(message: M, state: Pick<ReactionState, 'reactions' | 'reactionsVersion'>): M {
  if (state.reactionsVersion < message.reactionsVersion) return message;
  return { ...message, reactions: state.reactions, reactionsVersion: state.reactionsVersion };
}

/** What a click shows before the server answered: the viewer's reaction on (or off), counts moved by one. */
export function toggleReaction<M extends WithReactions>(message: M, emoji: string, on: boolean): M {
  const held = message.reactions.find((reaction) => reaction.emoji === emoji);
  if ((held?.me ?? false) === on) return message;
  if (on && !held) return { ...message, reactions: [...message.reactions, { emoji, count: 1, me: true }] };
  const reactions = message.reactions
    .map((reaction) => (reaction.emoji === emoji ? { ...reaction, count: reaction.count + (on ? 1 : -1), me: on } : reaction))
    .filter((reaction) => reaction.count > 0);
  return { ...message, reactions };
}

/**
 * A server copy replacing a held one (catch-up, an edit): reactions go by version, not by
 * updatedAt, since events move them without moving updatedAt. A copy sent to the whole room says
 * `me: false` (`forRoom`): `roomCopy` keeps the held `me` then.
 */
export function mergeReactions<M extends WithReactions>(held: WithReactions, incoming: M, { roomCopy = false } = {}): M {
  if (held.reactionsVersion >= incoming.reactionsVersion) return { ...incoming, reactions: held.reactions, reactionsVersion: held.reactionsVersion };
  if (!roomCopy) return incoming;
  return { ...incoming, reactions: incoming.reactions.map((reaction) => ({ ...reaction, me: meOf(held.reactions, reaction.emoji) })) };
}
