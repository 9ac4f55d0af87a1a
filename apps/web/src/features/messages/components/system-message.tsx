import { memo } from 'react';
import { formatFullDateTime } from '../../../lib/relative-time';
import { systemTextFor } from '../../../lib/system-text';
import type { ChatMessage } from '../lib/message-cache';

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** A change to the group ("Ada added Ben"), centred in the timeline: no bubble, no menu. */
export const SystemMessage = memo(function SystemMessage({ message, currentUserId }: { message: ChatMessage; currentUserId: string | undefined }) {
  // Stored content is the same sentence with plain names: the fallback for a kind this build does not know.
  const text = message.system ? systemTextFor(message.system, message.sender, currentUserId) : message.content;
  const at = formatFullDateTime(message.createdAt);
  return (
    <div
      data-message-id={message.id}
      data-seq={message.seq}
      data-system={message.system?.kind ?? 'unknown'}
      className="group/system my-1 flex justify-center px-4"
    >
      {/* slate-600 on the timeline's slate-50 keeps the small text above 4.5:1. */}
      <p title={at} className="max-w-[85%] text-center text-xs text-slate-600 sm:max-w-[70%]">
        {text}
        <span className="sr-only">, {at}</span>
        <time dateTime={message.createdAt} aria-hidden="true" className="ml-1.5 hidden tabular-nums group-hover/system:inline">
          {timeFormat.format(new Date(message.createdAt))}
        </time>
      </p>
    </div>
  );
});
