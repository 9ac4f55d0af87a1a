/**
 * Notification choices that belong to this browser, not to the account: kept in localStorage,
 * shared by the tabs (a change in one reaches the others through the storage event).
 */
const DESKTOP_KEY = 'chat.desktopNotifications';
const pushKey = (userId: string) => `chat.pushSubscription.${userId}`;

const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    // Storage full or refused: the choice lasts until the tab closes, which is all that can be done.
  }
  for (const listener of listeners) listener();
}

export function subscribeToDevicePreferences(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith('chat.')) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export const desktopNotificationsEnabled = (): boolean => storage()?.getItem(DESKTOP_KEY) === 'on';
export const setDesktopNotificationsEnabled = (enabled: boolean): void => write(DESKTOP_KEY, enabled ? 'on' : null);

/** The id the server gave this browser's push subscription for this user, to delete it by. */
export const storedPushSubscriptionId = (userId: string): string | null => storage()?.getItem(pushKey(userId)) ?? null;
export const storePushSubscriptionId = (userId: string, id: string | null): void => write(pushKey(userId), id);
