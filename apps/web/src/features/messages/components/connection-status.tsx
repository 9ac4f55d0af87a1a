import { useChatSocket } from '../../../hooks/use-socket';
import { cn } from '../../../lib/cn';
import type { ConnectionStatus as Status } from '../../../lib/socket';

const labels: Record<Status, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const dots: Record<Status, string> = {
  connecting: 'bg-amber-400 motion-safe:animate-pulse',
  connected: 'bg-emerald-500',
  reconnecting: 'bg-amber-400 motion-safe:animate-pulse',
  offline: 'bg-slate-400',
};

/** The live connection in words and a dot; "Connected" hides its text on narrow screens. */
export function ConnectionStatus() {
  const { status } = useChatSocket();
  return (
    <p role="status" className="flex items-center gap-1.5 text-xs font-medium text-slate-500" title={labels[status]}>
      <span aria-hidden="true" className={cn('size-2 rounded-full', dots[status])} />
      <span className={cn(status === 'connected' && 'sr-only md:not-sr-only')}>{labels[status]}</span>
    </p>
  );
}
