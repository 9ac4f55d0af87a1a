/* global self -- the service worker global scope; the lint config knows only node and the app's browser globals */
// Shows the server's Web Push messages (payload: pushPayloadSchema in packages/shared) and opens
// the conversation when one is clicked. Plain JavaScript, served as is from the site root so its
// scope is the whole app.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

const ICON = '/icon-192.png';

/** The payload, or null when it is not one this worker knows how to show. */
function parsePayload(data) {
  try {
    const payload = data?.json();
    return payload && payload.v === 1 && typeof payload.title === 'string' && typeof payload.url === 'string' ? payload : null;
  } catch {
    return null;
  }
}

/** The payload's link (it names the message, so the app scrolls to it), never another site's. */
function linkOf(payload) {
  const url = new URL(payload.url, self.location.origin);
  if (url.origin !== self.location.origin) return new URL('/', self.location.origin).href;
  return url.href;
}

self.addEventListener('push', (event) => {
  const payload = parsePayload(event.data);
  if (!payload) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // Someone looking at the app sees the message there; the tab itself notifies when it is hidden.
      if (windows.some((client) => client.visibilityState === 'visible' && client.focused)) return;
      await self.registration.showNotification(payload.title, {
        body: payload.body,
        tag: payload.tag,
        icon: ICON,
        data: { url: linkOf(payload) },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url ?? '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => client.focused) ?? windows[0];
      if (!open) return self.clients.openWindow(url);
      // The open app moves there itself (its router, no reload: the socket and caches stay).
      await open.focus();
      open.postMessage({ type: 'open', url });
    })(),
  );
});
