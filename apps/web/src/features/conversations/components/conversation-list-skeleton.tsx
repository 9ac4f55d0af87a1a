const WIDTHS = ['w-28', 'w-36', 'w-24', 'w-32', 'w-40', 'w-28', 'w-20', 'w-36'];

/** Placeholder rows shaped like conversation items, so the list does not jump when it loads. */
export function ConversationListSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div role="status" className="space-y-1 p-2">
      <span className="sr-only">Loading conversations</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} aria-hidden="true" className="flex items-center gap-3 px-3 py-2.5 motion-safe:animate-pulse">
          <span className="size-10 shrink-0 rounded-full bg-slate-200" />
          <span className="flex-1 space-y-2">
            <span className="flex items-center justify-between gap-4">
              <span className={`block h-3 rounded bg-slate-200 ${WIDTHS[index % WIDTHS.length]}`} />
              <span className="block h-2.5 w-6 rounded bg-slate-100" />
            </span>
            <span className="block h-2.5 w-4/5 rounded bg-slate-100" />
          </span>
        </div>
      ))}
    </div>
  );
}
