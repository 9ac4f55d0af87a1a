import { useCallback, useState, useSyncExternalStore } from 'react';
import { desktopNotificationsEnabled, setDesktopNotificationsEnabled, subscribeToDevicePreferences } from '../lib/device-preferences';

export type DesktopPermission = NotificationPermission | 'unsupported';

const currentPermission = (): DesktopPermission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/**
 * The desktop notifications switch of this browser. Turning it on asks the browser for permission
 * (only then, never on load); it stays off when the browser refuses.
 */
export function useDesktopNotificationSetting() {
  const stored = useSyncExternalStore(subscribeToDevicePreferences, desktopNotificationsEnabled, () => false);
  const [permission, setPermission] = useState<DesktopPermission>(currentPermission);

  const setEnabled = useCallback(async (on: boolean) => {
    if (!on) {
      setDesktopNotificationsEnabled(false);
      return;
    }
    const answer = currentPermission() === 'default' ? await Notification.requestPermission() : currentPermission();
    setPermission(answer);
    setDesktopNotificationsEnabled(answer === 'granted');
  }, []);

  return { enabled: stored && permission === 'granted', permission, setEnabled };
}
