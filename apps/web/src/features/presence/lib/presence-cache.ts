import type { Presence, PresenceUpdateEvent } from '@chat/shared';

/**
 * A user's status after a 'presence:update'. Offline without lastSeenAt means it is not shared (or
 * no longer: the user just hid it), so an older one is not kept.
 */
export function applyPresenceUpdate(current: Presence | undefined, event: PresenceUpdateEvent): Presence {
  return {
    userId: event.userId,
    status: event.status,
    lastActivity: event.lastActivity ?? (event.status === 'offline' ? null : (current?.lastActivity ?? null)),
    lastSeenAt: event.status === 'offline' ? (event.lastSeenAt ?? null) : null,
  };
}

/** "Online", "Away", "Last seen 5 min ago", "Offline" (no last seen shared). */
export function presenceText(presence: Pick<Presence, 'status' | 'lastSeenAt'> | undefined, now: number): string {
  if (!presence) return '';
  if (presence.status === 'online') return 'Online';
  if (presence.status === 'away') return 'Away';
  if (!presence.lastSeenAt) return 'Offline';
  return `Last seen ${lastSeenAgo(presence.lastSeenAt, now)}`;
}

function lastSeenAgo(at: string, now: number): string {
  const minutes = Math.floor((now - new Date(at).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return `on ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }).format(new Date(at))}`;
}
