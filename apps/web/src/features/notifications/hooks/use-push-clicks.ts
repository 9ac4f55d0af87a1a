import { useEffect } from 'react';
import { useNavigate } from 'react-router';

/** A push notification clicked while the app is open: the service worker asks this tab to go there. */
export function usePushClicks(): void {
  const navigate = useNavigate();
  useEffect(() => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown; url?: unknown } | null;
      if (data?.type !== 'open' || typeof data.url !== 'string') return;
      const target = new URL(data.url, window.location.origin);
      if (target.origin === window.location.origin) void navigate(target.pathname + target.search);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [navigate]);
}
