import { useCallback, useEffect, useState } from 'react';
import { disablePush, enablePush, type PushState, readPushState } from '../lib/web-push';

/** The push switch of this browser for the signed-in user: its state, and turning it on or off. */
export function usePushToggle(userId: string) {
  const [state, setState] = useState<PushState | 'loading'>('loading');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    void readPushState(userId)
      .catch(() => 'off' as const)
      .then((next) => live && setState(next));
    return () => {
      live = false;
    };
  }, [userId]);

  const toggle = useCallback(
    async (on: boolean) => {
      setBusy(true);
      setError(null);
      try {
        setState(await (on ? enablePush(userId) : disablePush(userId)));
      } catch (failure) {
        setError(failure);
        setState(await readPushState(userId).catch(() => 'off' as const));
      } finally {
        setBusy(false);
      }
    },
    [userId],
  );

  return { state, busy, error, toggle };
}
