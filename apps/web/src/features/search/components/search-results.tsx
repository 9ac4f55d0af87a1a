import { useRef } from 'react';
import { Spinner } from '../../../components/ui/spinner';
import { useIntersection } from '../../../hooks/use-intersection';
import { useNow } from '../../../hooks/use-now';
import { ApiError } from '../../../lib/api-client';
import { genericErrorMessage } from '../../../lib/form-errors';
import type { SearchResult } from '@chat/shared';
import type { useMessageSearch } from '../api/use-message-search';
import { resultSenderName } from '../lib/result-names';
import { SearchResultItem } from './search-result-item';

export interface SearchResultsProps {
  listId: string;
  optionId: (index: number) => string;
  search: ReturnType<typeof useMessageSearch>;
  activeIndex: number;
  onActivate: (index: number) => void;
  onOpen: (index: number) => void;
  nameOf: (result: SearchResult) => string;
  currentUserId: string | undefined;
}

/** A 400 says what is wrong with the query (the server's words); anything else gets the usual message. */
export function searchErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 400) return error.message;
  return genericErrorMessage(error);
}

/** The panel under the search box: the matches as a listbox, loading more as it scrolls. */
export function SearchResults({ listId, optionId, search, activeIndex, onActivate, onOpen, nameOf, currentUserId }: SearchResultsProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const { results, status, error, isSearching, hasNextPage, isFetchingNextPage, fetchNextPage } = search;

  useIntersection(sentinelRef, () => void fetchNextPage(), {
    root: panelRef,
    rootMargin: '0px 0px 160px 0px',
    enabled: hasNextPage && !isFetchingNextPage,
    resetKey: results.length,
  });

  let notice = null;
  if (status === 'error' && results.length === 0) {
    notice = (
      <p role="alert" className="px-3 py-6 text-center text-sm text-red-700">
        {searchErrorMessage(error)}
      </p>
    );
  } else if (results.length === 0 && isSearching) {
    notice = (
      <p role="status" className="flex items-center justify-center gap-2 px-3 py-6 text-sm text-slate-500">
        <Spinner className="size-4" />
        Searching…
      </p>
    );
  } else if (results.length === 0 && status === 'success') {
    notice = (
      <p role="status" className="px-3 py-6 text-center text-sm text-slate-500">
        No messages match
      </p>
    );
  }

  return (
    <div
      ref={panelRef}
      className="fixed inset-x-0 top-14 bottom-0 z-30 overflow-y-auto overscroll-contain border-t border-slate-200 bg-white p-2 sm:absolute sm:inset-x-0 sm:top-full sm:bottom-auto sm:mt-1.5 sm:max-h-[70vh] sm:rounded-xl sm:border sm:shadow-lg"
    >
      {notice}
      <ul id={listId} role="listbox" aria-label="Search results" aria-busy={isSearching} className={results.length === 0 ? 'hidden' : 'flex flex-col gap-0.5'}>
        {results.map((result, index) => (
          <SearchResultItem
            key={result.message.id}
            id={optionId(index)}
            result={result}
            conversationName={nameOf(result)}
            senderName={resultSenderName(result, currentUserId)}
            active={index === activeIndex}
            now={now}
            onOpen={() => onOpen(index)}
            onHover={() => onActivate(index)}
          />
        ))}
      </ul>
      <div ref={sentinelRef} className="min-h-px">
        {isFetchingNextPage && (
          <p role="status" className="flex items-center justify-center gap-2 py-2 text-xs text-slate-500">
            <Spinner className="size-3.5" />
            Loading more…
          </p>
        )}
      </div>
    </div>
  );
}
