import type { MessageReaction } from '@chat/shared';
import { useId, useState } from 'react';
import { cn } from '../../../lib/cn';
import { useReactors } from '../api/use-reactors';
import { useToggleReaction } from '../api/use-toggle-reaction';
import type { ChatMessage } from '../lib/message-cache';
import { EmojiPickerDialog } from './emoji-picker-dialog';

export interface MessageReactionsProps {
  message: ChatMessage;
  own: boolean;
  /** The picker is open (from the bar's "+" or the bubble's "Add reaction"). */
  picking: boolean;
  onPickingChange: (picking: boolean) => void;
}

/** The pills under a bubble (emoji and count; mine pressed), a "+" to add one, and the picker. */
export function MessageReactions({ message, own, picking, onPickingChange }: MessageReactionsProps) {
  const { toggle, error } = useToggleReaction(message.conversationId);
  const hasAny = message.reactions.length > 0;
  return (
    <>
      {hasAny && (
        <ul aria-label="Reactions" className={cn('mt-1 flex max-w-[85%] flex-wrap gap-1 sm:max-w-[70%]', own && 'justify-end')}>
          {message.reactions.map((reaction) => (
            <li key={reaction.emoji}>
              <ReactionPill
                reaction={reaction}
                conversationId={message.conversationId}
                messageId={message.id}
                reactionsVersion={message.reactionsVersion}
                onToggle={() => toggle(message.id, reaction.emoji, !reaction.me)}
              />
            </li>
          ))}
          <li>
            <button
              type="button"
              aria-label="Add reaction"
              title="Add reaction"
              onClick={() => onPickingChange(true)}
              className="inline-flex h-7 items-center rounded-full px-2 text-sm text-slate-500 ring-1 ring-slate-200 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              +
            </button>
          </li>
        </ul>
      )}
      {error && (
        <p role="status" className="mt-0.5 px-1 text-[0.6875rem] text-red-700">
          {error}
        </p>
      )}
      <EmojiPickerDialog
        open={picking}
        onClose={() => onPickingChange(false)}
        onPick={(emoji) => toggle(message.id, emoji, !message.reactions.some((reaction) => reaction.me && reaction.emoji === emoji))}
      />
    </>
  );
}

interface ReactionPillProps {
  reaction: MessageReaction;
  conversationId: string;
  messageId: string;
  reactionsVersion: number;
  onToggle: () => void;
}

/** One emoji: pressed when it is mine; hover or focus names who reacted (fetched then, not before). */
function ReactionPill({ reaction, conversationId, messageId, reactionsVersion, onToggle }: ReactionPillProps) {
  const [showWho, setShowWho] = useState(false);
  const tooltipId = useId();
  const who = useReactors(conversationId, messageId, reactionsVersion, showWho);
  const people = who.data?.find((entry) => entry.emoji === reaction.emoji);
  const names = people ? people.users.map((user) => user.displayName) : [];
  const more = people ? people.count - people.users.length : 0;
  const label = `${reaction.emoji} ${reaction.count}`;

  return (
    <span className="relative inline-flex">
      <button
        type="button"
        aria-pressed={reaction.me}
        aria-label={`${reaction.emoji}, ${reaction.count} ${reaction.count === 1 ? 'reaction' : 'reactions'}${reaction.me ? ', including yours' : ''}`}
        aria-describedby={showWho ? tooltipId : undefined}
        onClick={onToggle}
        onMouseEnter={() => setShowWho(true)}
        onMouseLeave={() => setShowWho(false)}
        onFocus={() => setShowWho(true)}
        onBlur={() => setShowWho(false)}
        onKeyDown={(event) => event.key === 'Escape' && setShowWho(false)}
        className={cn(
          'inline-flex h-7 items-center gap-1 rounded-full px-2 text-sm ring-1 transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600',
          reaction.me ? 'bg-indigo-50 text-indigo-800 ring-indigo-400' : 'bg-white text-slate-700 ring-slate-200 hover:bg-slate-100',
        )}
      >
        <span aria-hidden="true">{label}</span>
      </button>
      {showWho && (
        <span
          id={tooltipId}
          role="tooltip"
          className="absolute bottom-full left-1/2 z-20 mb-1 w-max max-w-[min(16rem,80vw)] -translate-x-1/2 rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow-lg"
        >
          {people
            ? `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''} reacted with ${reaction.emoji}`
            : who.isError
              ? 'Couldn’t load who reacted'
              : 'Loading…'}
        </span>
      )}
    </span>
  );
}
