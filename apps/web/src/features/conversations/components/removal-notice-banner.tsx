import { useQuery, useQueryClient } from '@tanstack/react-query';
import { XMarkIcon } from '../../../components/ui/icons';
import { removalNoticeOptions, showRemovalNotice } from '../lib/removal-notice';

/** Tells someone who lost a group who took it away, instead of the group silently vanishing. */
export function RemovalNoticeBanner() {
  const queryClient = useQueryClient();
  const { data: notice } = useQuery(removalNoticeOptions());
  if (!notice) return null;
  return (
    <div role="alert" className="flex shrink-0 items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <p className="min-w-0 flex-1">{notice.text}</p>
      <button
        type="button"
        onClick={() => showRemovalNotice(queryClient, null)}
        aria-label="Dismiss"
        className="inline-flex size-8 shrink-0 items-center justify-center rounded-lg text-amber-800 hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <XMarkIcon className="size-4" />
      </button>
    </div>
  );
}
