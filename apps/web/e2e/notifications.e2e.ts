import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createGroup, logIn, registerAccount } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

interface Shown {
  title: string;
  body?: string;
  tag?: string;
}

/**
 * The observable: headless Chromium shows nothing, so every Notification the page creates is
 * recorded (and still made, through the real constructor).
 */
async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: Notification[] = [];
    Object.assign(window, { shownNotifications: shown });
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(this);
      }
    };
  });
}

const shownNotifications = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { shownNotifications: Notification[] }).shownNotifications.map(({ title, body, tag }): Shown => ({ title, body, tag })),
  );

/** What a tab in the background reports; the socket keeps running, as it does in a real one. */
const hideTab = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });

const send = (account: Account, conversationId: string, content: string, mentions?: { userIds: string[]; everyone: boolean }) =>
  apiAs(suite.baseUrl, account, 'POST', `/api/conversations/${conversationId}/messages`, { content, clientMessageId: randomUUID(), mentions }, [201]);

const desktopSwitch = (page: Page) => page.getByRole('checkbox', { name: 'Desktop notifications' });

/** Alice, and Bob signed in with notifications allowed and recorded; both are in the group "Lunch crew". */
async function bobInLunchCrew() {
  const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Asker'), registerAccount(suite.baseUrl, 'Bob Mentioned')]);
  const lunchId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Lunch crew' })).id;
  const { context, page } = await suite.open();
  await context.grantPermissions(['notifications'], { origin: suite.baseUrl });
  await recordNotifications(context);
  await logIn(page, bob);
  return { alice, bob, lunchId, context, page };
}

describe('notifications in the browser', () => {
  it('B is mentioned in a hidden tab and gets a notification; a conversation set to nothing stays silent; the title counts', async () => {
    const { alice, bob, lunchId, page } = await bobInLunchCrew();
    const quietId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Quiet room' })).id;
    await apiAs(suite.baseUrl, bob, 'PATCH', `/api/conversations/${quietId}/notifications`, { level: 'none' }, [200]);

    // Turned on in the settings, by a click; it belongs to this browser.
    await page.goto('/settings');
    expect(await desktopSwitch(page).isChecked()).toBe(false);
    await desktopSwitch(page).click();
    await expect.poll(() => desktopSwitch(page).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
    await hideTab(page);

    await send(alice, lunchId, 'Lunch? @Bob Mentioned at noon', { userIds: [bob.id], everyone: false });
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: 'Alice Asker · Lunch crew', body: 'Lunch? @Bob Mentioned at noon', tag: lunchId }]);

    // The quiet room's message shows nowhere; the next one from the lunch group does, after it.
    await send(alice, quietId, 'Nobody hears this');
    await send(alice, lunchId, 'Bring cake');
    await expect.poll(async () => (await shownNotifications(page)).length).toBe(2);
    expect((await shownNotifications(page)).map((shown) => shown.body)).toEqual(['Lunch? @Bob Mentioned at noon', 'Bring cake']);

    // Three unread (the quiet room is not muted, so it counts), one of them a mention; the favicon has its dot.
    await expect.poll(() => page.title()).toBe('(@1 · 3) Chat');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toContain('circle');

    // A click brings the tab to the message.
    await page.evaluate(() => (window as unknown as { shownNotifications: Notification[] }).shownNotifications[0]?.onclick?.(new Event('click')));
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/c/${lunchId}`);
    expect(new URL(page.url()).searchParams.get('seq')).not.toBeNull();
  });

  it('nothing is shown while desktop notifications are off, nor while the tab is in view', async () => {
    const { alice, lunchId, page } = await bobInLunchCrew();

    // In view, with notifications on: the message shows in the list only.
    await page.goto('/settings');
    await desktopSwitch(page).click();
    await expect.poll(() => desktopSwitch(page).isChecked()).toBe(true);
    await send(alice, lunchId, 'Seen in the list');
    await expect.poll(() => page.title()).toBe('(1) Chat');

    // Hidden, with notifications off again: still nothing.
    await desktopSwitch(page).click();
    await expect.poll(() => desktopSwitch(page).isChecked()).toBe(false);
    await hideTab(page);
    await send(alice, lunchId, 'Still quiet');
    await expect.poll(() => page.title()).toBe('(2) Chat');
    expect(await shownNotifications(page)).toEqual([]);
  });

  it('a default level chosen in the settings applies at once to conversations without their own', async () => {
    const { alice, bob, lunchId, page } = await bobInLunchCrew();
    await page.goto('/settings');
    await desktopSwitch(page).click();
    await expect.poll(() => desktopSwitch(page).isChecked()).toBe(true);

    // Small groups go from every message to mentions only; the list is read again with the new level.
    const groups = page.getByRole('combobox', { name: 'Groups', exact: true });
    expect(await groups.inputValue()).toBe('all');
    const listRefetched = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/conversations' && response.ok());
    await groups.selectOption('mentions');
    await listRefetched;
    expect(await groups.inputValue()).toBe('mentions');
    const saved = await apiAs<{ notificationDefaults: { group: string } }>(suite.baseUrl, bob, 'GET', '/api/users/me/settings');
    expect(saved.notificationDefaults.group).toBe('mentions');

    await hideTab(page);
    await send(alice, lunchId, 'Anyone around?');
    await send(alice, lunchId, 'You, @Bob Mentioned?', { userIds: [bob.id], everyone: false });
    await expect.poll(async () => (await shownNotifications(page)).length).toBe(1);
    expect((await shownNotifications(page))[0]?.body).toBe('You, @Bob Mentioned?');
  });

  it('push on this device registers the service worker; where the browser has no push service, the switch stays off and says so', async () => {
    const bob = await registerAccount(suite.baseUrl, 'Bob Pushed');
    const { context, page } = await suite.open();
    await context.grantPermissions(['notifications'], { origin: suite.baseUrl });

    // The built app serves the worker from the root, as JavaScript, so its scope is the whole app.
    const worker = await page.request.get('/sw.js');
    expect(worker.status()).toBe(200);
    expect(worker.headers()['content-type']).toMatch(/^text\/javascript/);

    await logIn(page, bob);
    await page.goto('/settings');
    const pushSwitch = page.getByRole('checkbox', { name: 'Push notifications' });
    await expect.poll(() => pushSwitch.isEnabled()).toBe(true);
    expect(await pushSwitch.isChecked()).toBe(false);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration('/sw.js').then((registration) => registration !== undefined))).toBe(false);

    await pushSwitch.click();
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration('/sw.js').then((registration) => registration?.scope ?? null)))
      .toBe(`${suite.baseUrl}/`);
    // Chromium refuses push subscriptions in its off-the-record profiles, which test contexts are.
    await page.getByRole('alert').filter({ hasText: 'Push notifications could not be turned on' }).waitFor();
    expect(await pushSwitch.isChecked()).toBe(false);
    expect(await page.evaluate(() => localStorage.length === 0 || Object.keys(localStorage).every((key) => !key.startsWith('chat.pushSubscription')))).toBe(
      true,
    );
  });
});
