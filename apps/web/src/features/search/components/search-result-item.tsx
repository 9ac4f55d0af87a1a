import { formatFullDateTime, formatRelativeTime } from '../../../lib/relative-time';
import { cn } from '../../../lib/cn';
import type { SearchResult } from '@chat/shared';
import { HighlightedText } from './highlighted-text';

export interface SearchResultItemProps {
  id: string;
  result: SearchResult;
  conversationName: string;
  /** Left out where the conversation's name already says who wrote it (the other person of a direct chat). */
  senderName: string | undefined;
  active: boolean;
  now: number;
  onOpen: () => void;
  onHover: () => void;
}

/** One match: where it was said, by whom and when, and the text with the matches marked. */
export function SearchResultItem({ id, result, conversationName, senderName, active, now, onOpen, onHover }: SearchResultItemProps) {
  const { message } = result;
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      data-active={active ? '' : undefined}
      onClick={onOpen}
      onMouseMove={onHover}
      className={cn('cursor-pointer rounded-lg px-3 py-2', active ? 'bg-indigo-50' : 'hover:bg-slate-50')}
    >
      <div className="flex items-baseline gap-1.5 text-xs">
        <span className="min-w-0 truncate font-semibold text-slate-900">{conversationName}</span>
        {senderName !== undefined && (
          <>
            <span aria-hidden="true" className="text-slate-500">
              ·
            </span>
            <span className="min-w-0 truncate text-slate-500">{senderName}</span>
          </>
        )}
        <time dateTime={message.createdAt} title={formatFullDateTime(message.createdAt)} className="ml-auto shrink-0 text-slate-500">
          {formatRelativeTime(message.createdAt, now)}
        </time>
      </div>
      <HighlightedText text={message.content} ranges={result.highlights} className="mt-0.5 line-clamp-2 text-sm break-words text-slate-700" />
    </li>
  );
}
