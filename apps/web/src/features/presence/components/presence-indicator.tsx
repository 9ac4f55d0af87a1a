import type { Presence } from '@chat/shared';
import { cn } from '../../../lib/cn';

const colours = { online: 'bg-emerald-500', away: 'bg-amber-400', offline: 'bg-slate-400' } as const;
const labels = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

export const presenceLabel = (status: Presence['status']) => labels[status];

/** A status dot (green online, yellow away, gray offline) with its status as accessible name. */
export function PresenceIndicator({
  presence,
  className,
  decorative = false,
}: {
  presence: Pick<Presence, 'status'> | undefined;
  className?: string;
  /** The status is spelled out elsewhere (e.g. inside a link's name, after the title). */
  decorative?: boolean;
}) {
  if (!presence) return null;
  return (
    <span
      role={decorative ? undefined : 'img'}
      aria-hidden={decorative || undefined}
      aria-label={decorative ? undefined : labels[presence.status]}
      title={labels[presence.status]}
      data-presence={presence.status}
      className={cn('inline-block size-2.5 rounded-full ring-2 ring-white', colours[presence.status], className)}
    />
  );
}
