import type { Presence } from '@chat/shared';
import { useNow } from '../../../hooks/use-now';
import { presenceText } from '../lib/presence-cache';

/** "Online", "Away" or "Last seen 5 min ago", which keeps counting while it is on screen. */
export function PresenceText({ presence, className }: { presence: Pick<Presence, 'status' | 'lastSeenAt'> | undefined; className?: string }) {
  const now = useNow(30_000);
  const text = presenceText(presence, now);
  if (!text) return null;
  return <span className={className}>{text}</span>;
}
