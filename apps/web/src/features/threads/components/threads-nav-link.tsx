import { NavLink } from 'react-router';
import { ChatBubblesIcon } from '../../../components/ui/icons';
import { cn } from '../../../lib/cn';
import { useFollowedThreads } from '../api/use-threads';

/** The sidebar's way to the followed threads, with how many have unread replies. */
export function ThreadsNavLink() {
  const { data } = useFollowedThreads();
  const unread = data?.threads.filter((thread) => thread.unreadCount > 0).length ?? 0;
  return (
    <nav aria-label="Threads" className="shrink-0 border-b border-slate-100 pb-2">
      <NavLink
        to="/threads"
        className={({ isActive }) =>
          cn(
            'mx-2 mt-2 flex items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600',
            isActive && 'bg-indigo-50 text-indigo-700',
          )
        }
      >
        <ChatBubblesIcon className="size-4" />
        <span className="flex-1">Threads</span>
        {unread > 0 && (
          <span className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white">
            {unread}
            <span className="sr-only"> with unread replies</span>
          </span>
        )}
      </NavLink>
    </nav>
  );
}
