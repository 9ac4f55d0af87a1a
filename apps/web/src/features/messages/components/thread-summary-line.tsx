import type { ThreadSummary } from '@chat/shared';
import { useEffect, useState } from 'react';
import { Avatar } from '../../../components/ui/avatar';
import { formatFullDateTime } from '../../../lib/relative-time';
import { threadActivityLabel } from '../lib/thread-labels';

/** Under a thread's root: "3 replies · last reply 5 min ago" with the first repliers' avatars; opens the thread. */
export function ThreadSummaryLine({ thread, names, onOpen }: { thread: ThreadSummary; names: ReadonlyMap<string, string>; onOpen: () => void }) {
  // Re-render once a minute so "5 min ago" keeps up.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const label = threadActivityLabel(thread, now);
  return (
    <button
      type="button"
      onClick={onOpen}
      className="mt-1 flex items-center gap-2 rounded-lg px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      title={thread.lastReplyAt ? `Last reply ${formatFullDateTime(thread.lastReplyAt)}` : undefined}
    >
      <span className="flex -space-x-1.5">
        {thread.participantIds.map((id) => (
          <Avatar key={id} name={names.get(id) ?? '?'} seed={id} size="xs" className="ring-2 ring-white" />
        ))}
      </span>
      <span>{label}</span>
    </button>
  );
}
