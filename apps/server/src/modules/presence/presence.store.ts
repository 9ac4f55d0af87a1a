export type DeviceStatus = 'online' | 'away';
export type PresenceState = 'online' | 'away' | 'offline';

/** A change of a user's overall status, reported once by whichever call caused it. */
export interface PresenceTransition {
  userId: string;
  status: PresenceState;
  /** ms since the epoch of the most recent heartbeat across live devices (0 when offline). */
  lastActivity: number;
}

export interface CurrentPresence {
  status: PresenceState;
  lastActivity: number;
}

/**
 * Presence per device with a time to live; a user's status is the best of their live devices
 * (online > away > offline). Each call reports the transition it caused, computed atomically
 * against the last announced status, so no transition is announced twice, on any node.
 * Port: Redis on a cluster, in memory on one node.
 */
export abstract class PresenceStore {
  /** Records a device's heartbeat; `urgent` when someone waits on it (a connect), else it may be batched. */
  abstract touch(userId: string, deviceId: string, status: DeviceStatus, now: number, ttlMs: number, urgent?: boolean): Promise<PresenceTransition | null>;
  abstract remove(userId: string, deviceId: string, now: number): Promise<PresenceTransition | null>;
  /** Removes devices whose time ran out (a node or a client died silently). */
  abstract sweep(now: number): Promise<PresenceTransition[]>;
  abstract current(userIds: string[], now: number): Promise<Map<string, CurrentPresence>>;
  /** The live devices (connected and heartbeating) of each user. */
  abstract liveDevices(userIds: string[], now: number): Promise<Map<string, string[]>>;
}

/** One device's last heartbeat, as both adapters keep it. */
export interface Device {
  status: DeviceStatus;
  lastActivity: number;
  expiresAt: number;
}

/** A user's status is the best of their live devices. */
export function bestOf(devices: Device[], now: number): CurrentPresence {
  const live = devices.filter((d) => d.expiresAt > now);
  if (live.length === 0) return { status: 'offline', lastActivity: 0 };
  return {
    status: live.some((d) => d.status === 'online') ? 'online' : 'away',
    lastActivity: Math.max(...live.map((d) => d.lastActivity)),
  };
}
