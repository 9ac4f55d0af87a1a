import { type CurrentPresence, type Device, type DeviceStatus, PresenceStore, type PresenceState, type PresenceTransition, bestOf } from './presence.store';

export class MemoryPresenceStore extends PresenceStore {
  private readonly devices = new Map<string, Map<string, Device>>();
  private readonly announced = new Map<string, PresenceState>();

  async touch(userId: string, deviceId: string, status: DeviceStatus, now: number, ttlMs: number) {
    let devices = this.devices.get(userId);
    if (!devices) this.devices.set(userId, (devices = new Map()));
    devices.set(deviceId, { status, lastActivity: now, expiresAt: now + ttlMs });
    return this.recompute(userId, now);
  }

  async remove(userId: string, deviceId: string, now: number) {
    this.devices.get(userId)?.delete(deviceId);
    return this.recompute(userId, now);
  }

  async sweep(now: number): Promise<PresenceTransition[]> {
    const transitions: PresenceTransition[] = [];
    for (const [userId, devices] of this.devices) {
      if ([...devices.values()].some((d) => d.expiresAt <= now)) {
        const transition = this.recompute(userId, now);
        if (transition) transitions.push(transition);
      }
    }
    return transitions;
  }

  async current(userIds: string[], now: number): Promise<Map<string, CurrentPresence>> {
    return new Map(userIds.map((userId) => [userId, bestOf([...(this.devices.get(userId)?.values() ?? [])], now)]));
  }

  async liveDevices(userIds: string[], now: number): Promise<Map<string, string[]>> {
    const live = (userId: string) => [...(this.devices.get(userId)?.entries() ?? [])].filter(([, d]) => d.expiresAt > now).map(([id]) => id);
    return new Map(userIds.map((userId) => [userId, live(userId)]));
  }

  private recompute(userId: string, now: number): PresenceTransition | null {
    const devices = this.devices.get(userId);
    if (devices) for (const [id, device] of devices) if (device.expiresAt <= now) devices.delete(id);
    if (devices && devices.size === 0) this.devices.delete(userId);
    const { status, lastActivity } = bestOf([...(devices?.values() ?? [])], now);
    const previous = this.announced.get(userId) ?? 'offline';
    if (status === 'offline') this.announced.delete(userId);
    else this.announced.set(userId, status);
    return previous === status ? null : { userId, status, lastActivity };
  }
}
