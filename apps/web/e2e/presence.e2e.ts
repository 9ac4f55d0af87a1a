import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, createDirect, logIn, registerAccount, sendMessage } from './support/accounts';
import { useBrowserSuite } from './support/suite';

/** Set to a directory to keep screenshots of the finished screens. */
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

// Shorter presence timings than the defaults, but still above the client's 15 s heartbeat: anything
// below it (e.g. a 3 s TTL) would flap people who are still here to offline between two heartbeats.
// A closed tab disconnects cleanly and goes offline at once either way.
const suite = useBrowserSuite({ PRESENCE_TTL_SECONDS: '20', HEARTBEAT_TIMEOUT_SECONDS: '20' });

async function newPage(): Promise<Page> {
  return (await suite.open()).page;
}

function sidebarLink(page: Page, title: string) {
  return page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${title}\\b`) });
}

function composer(page: Page) {
  return page.getByRole('combobox', { name: 'Message', exact: true });
}

describe('presence and settings in the browser', () => {
  it("shows the other person's status live: online when they log in, last seen after they close the tab", async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Adams'), registerAccount(suite.baseUrl, 'Bob Burns')]);
    const conversationId = (await createDirect<{ id: string }>(suite.baseUrl, bob, alice)).id;
    await sendMessage(suite.baseUrl, bob, conversationId, 'Morning!');

    const pageB = await newPage();
    await logIn(pageB, bob);
    const link = sidebarLink(pageB, 'Alice Adams');
    await link.locator('[data-presence="offline"]').waitFor();
    await link.click();
    const header = pageB.getByRole('main').locator('header');
    await header.getByText('Offline', { exact: true }).waitFor();

    const pageA = await newPage();
    await logIn(pageA, alice);
    await link.locator('[data-presence="online"]').waitFor();
    await header.getByRole('img', { name: 'Online' }).waitFor();
    await header.getByText('Online', { exact: true }).waitFor();
    expect(await link.textContent()).toContain('(Online)');

    // A little conversation for the screenshot: read checks, a typing indicator, presence.
    await pageA.goto(`/c/${conversationId}`);
    await composer(pageA).fill('Morning Bob! Coffee at 10?');
    await composer(pageA).press('Enter');
    await pageB.getByRole('log', { name: 'Message history' }).getByText('Morning Bob! Coffee at 10?').waitFor();
    await expect.poll(() => pageA.locator('[data-status="read"]').count(), { timeout: 10_000 }).toBe(1);
    await composer(pageB).pressSequentially('Sounds good', { delay: 20 });
    await pageA.getByText('Bob Burns is typing…').waitFor();
    if (SCREENSHOT_DIR) await pageA.screenshot({ path: join(SCREENSHOT_DIR, 'web-chat.png') });

    await pageA.close();
    await link.locator('[data-presence="offline"]').waitFor({ timeout: 30_000 });
    await header.getByText(/^Last seen (just now|1 min ago)$/).waitFor();
  });

  it('changes privacy settings on the settings page', async () => {
    const carol = await registerAccount(suite.baseUrl, 'Carol Chen');
    const page = await newPage();
    await logIn(page, carol);
    await page.getByRole('banner').getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Privacy settings' });
    await form.waitFor();
    expect(await form.getByRole('checkbox', { name: /Send read receipts/ }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: /Everyone/ }).isChecked()).toBe(true);

    await form.getByRole('checkbox', { name: /Send read receipts/ }).uncheck();
    await form.getByRole('radio', { name: /People I chat with/ }).check();
    await form.getByRole('button', { name: 'Save privacy settings' }).click();
    await page.getByText('Settings saved').waitFor();
    if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, 'web-settings.png') });

    const saved = await apiAs<{ readReceiptsEnabled: boolean; presenceSharing: string }>(suite.baseUrl, carol, 'GET', '/api/users/me/settings');
    expect(saved).toMatchObject({ readReceiptsEnabled: false, presenceSharing: 'friends', presenceEnabled: true });

    await page.reload();
    await form.waitFor();
    expect(await form.getByRole('checkbox', { name: /Send read receipts/ }).isChecked()).toBe(false);
    expect(await form.getByRole('radio', { name: /People I chat with/ }).isChecked()).toBe(true);
    // One choice: "Nobody" is the off switch (there is no second control that means the same).
    expect(await form.getByRole('checkbox', { name: /online/i }).count()).toBe(0);
    await form.getByRole('radio', { name: /Nobody/ }).check();
    await form.getByRole('button', { name: 'Save privacy settings' }).click();
    await page.getByText('Settings saved').waitFor();
    const hidden = await apiAs<{ presenceEnabled: boolean; presenceSharing: string }>(suite.baseUrl, carol, 'GET', '/api/users/me/settings');
    expect(hidden).toMatchObject({ presenceEnabled: false, presenceSharing: 'nobody' });
  });
});
