import { useQuery } from '@tanstack/react-query';
import { Avatar } from '../../../components/ui/avatar';
import { Dialog } from '../../../components/ui/dialog';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { formatFullDateTime } from '../../../lib/relative-time';
import { messageReceiptsOptions } from '../api/use-message-receipts';

const readAtFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Who has read one of your messages, and when. */
export function MessageReceiptsDialog({ messageId, onClose }: { messageId: string | null; onClose: () => void }) {
  const { data, status, error } = useQuery({ ...messageReceiptsOptions(messageId ?? ''), enabled: messageId !== null });

  return (
    <Dialog open={messageId !== null} onClose={onClose} title="Message info" description={data ? `Read by ${data.readCount} of ${data.totalCount}` : undefined}>
      <div className="max-h-80 overflow-y-auto px-5 pb-5 pt-1">
        {status === 'pending' && (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner className="size-4" /> Loading…
          </p>
        )}
        {status === 'error' && (
          <p role="alert" className="text-sm text-red-600">
            {genericErrorMessage(error)}
          </p>
        )}
        {data && data.receipts.length === 0 && <p className="text-sm text-slate-500">Nobody has read it yet.</p>}
        {data && data.receipts.length > 0 && (
          <ul aria-label="Read by" className="space-y-2">
            {data.receipts.map((receipt) => (
              <li key={receipt.userId} className="flex items-center gap-3">
                <Avatar name={receipt.user.displayName} seed={receipt.userId} size="xs" />
                <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{receipt.user.displayName}</span>
                <time dateTime={receipt.readAt} title={formatFullDateTime(receipt.readAt)} className="text-xs tabular-nums text-slate-500">
                  {readAtFormat.format(new Date(receipt.readAt))}
                </time>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
