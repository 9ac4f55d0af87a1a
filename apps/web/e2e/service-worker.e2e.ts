import { type Message, type PushPayload, pushPayloadSchema } from '@chat/shared';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

interface ShownByWorker {
  title: string;
  body: string;
  tag: string;
  url: unknown;
}

/** What the worker's registration shows now, read from a page of the app. */
const workerNotifications = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/sw.js');
    const shown = (await registration?.getNotifications()) ?? [];
    return shown.map(({ title, body, tag, data }): ShownByWorker => ({ title, body, tag, url: (data as { url?: unknown } | null)?.url }));
  });

/** The payload of buildPushPayload (apps/server push module) for a group message with previews on. */
function payloadOf(message: Message, groupTitle: string): PushPayload {
  return pushPayloadSchema.parse({
    v: 1,
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    title: `${message.sender.displayName} · ${groupTitle}`,
    body: message.content,
    url: `/c/${message.conversationId}?message=${message.id}&seq=${message.seq}`,
    tag: message.conversationId,
  });
}

/** The id DevTools knows the app's worker registration by (Chromium cannot subscribe to a real push service here). */
async function registrationIdOf(session: CDPSession, scopeURL: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    session.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const registration = registrations.find((candidate) => candidate.scopeURL === scopeURL && !candidate.isDeleted);
      if (registration) resolve(registration.registrationId);
    });
  });
  await session.send('ServiceWorker.enable');
  return found;
}

describe('the service worker in the browser', () => {
  it('shows a pushed message with its sender and preview, linked to the message, unless the app is in view', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Pusher'), registerAccount(suite.baseUrl, 'Bob Away')]);
    const lunchId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Lunch crew' })).id;
    const teaId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Tea break' })).id;
    const seenInApp = await sendMessage<Message>(suite.baseUrl, alice, teaId, 'Tea at four');
    const pushed = await sendMessage<Message>(suite.baseUrl, alice, lunchId, 'Lunch? @Bob Away at noon');

    const { context, page } = await suite.open();
    await context.grantPermissions(['notifications'], { origin: suite.baseUrl });
    await logIn(page, bob);

    // The push switch registers the worker (the subscription itself fails here: no push service).
    await page.goto('/settings');
    await page.getByRole('checkbox', { name: 'Push notifications' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration('/sw.js').then((registration) => registration?.active?.state ?? null)))
      .toBe('activated');

    const session = await context.newCDPSession(page);
    const registrationId = await registrationIdOf(session, `${suite.baseUrl}/`);
    const deliver = (payload: PushPayload) =>
      session.send('ServiceWorker.deliverPushMessage', { origin: suite.baseUrl, registrationId, data: JSON.stringify(payload) });

    // In view, the app itself shows the message: the worker stays silent.
    await deliver(payloadOf(seenInApp, 'Tea break'));
    // With no window of the app open, it shows the next one (pushes are handled in order, so the first was decided before).
    await page.goto('about:blank');
    await deliver(payloadOf(pushed, 'Lunch crew'));
    await page.goto('/settings');
    await expect
      .poll(() => workerNotifications(page))
      .toEqual([
        {
          title: 'Alice Pusher · Lunch crew',
          body: 'Lunch? @Bob Away at noon',
          tag: lunchId,
          url: `${suite.baseUrl}/c/${lunchId}?message=${pushed.id}&seq=${pushed.seq}`,
        },
      ]);

    // A click cannot be driven here (no DevTools command clicks a notification, and a synthetic
    // notificationclick may neither wait nor focus). Its last step can: the message the worker sends
    // an open window, with the notification's link, takes the app to the message without a reload.
    const [worker] = context.serviceWorkers();
    if (!worker) throw new Error('The app has no service worker');
    const url = (await workerNotifications(page))[0]?.url;
    // An app window on another page (settings).
    await page.goto('/settings');
    await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
    await page.getByRole('checkbox', { name: 'Push notifications' }).waitFor();
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await worker.evaluate(async (link) => {
      const scope = self as unknown as { clients: { matchAll(options: object): Promise<{ postMessage(message: unknown): void }[]> } };
      for (const client of await scope.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage({ type: 'open', url: link });
    }, url);
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/c/${lunchId}`);
    expect(new URL(page.url()).searchParams.get('message')).toBe(pushed.id);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });
});
