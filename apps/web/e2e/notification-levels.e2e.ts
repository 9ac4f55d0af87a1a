import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDirect, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { describeViolations, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const sidebarLink = (page: Page, title: string) =>
  page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${title}\\b`) });
const unreadBadge = (page: Page, title: string) => sidebarLink(page, title).locator('[data-unread-badge]');
const bell = (page: Page) => page.getByRole('button', { name: /^Notifications/ });
const panel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' });

async function waitConnected(page: Page): Promise<void> {
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
}

async function openFromSidebar(page: Page, title: string): Promise<void> {
  await sidebarLink(page, title).click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
}

describe('notification levels in the browser', () => {
  it('mutes a conversation from its header: the unread badge greys on every tab of the user, unmuting restores it, and a level survives a reload', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Muter'), registerAccount(suite.baseUrl, 'Bob Chatty')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Book club' })).id;
    await createDirect(suite.baseUrl, alice, bob);

    const { context, page } = await suite.open();
    await logIn(page, alice);
    await page.goto(`/c/${groupId}`);
    await waitConnected(page);
    const secondTab = await context.newPage();
    await secondTab.goto('/');
    await waitConnected(secondTab);
    expect(await sidebarLink(secondTab, 'Book club').getAttribute('data-muted')).toBe('false');

    // The bell opens on the level in effect; the group follows the default.
    await bell(page).click();
    await panel(page).waitFor();
    expect(await panel(page).getByRole('radio', { name: 'Use default (All messages)' }).isChecked()).toBe(true);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations('notifications panel', violations)).toEqual([]);

    await panel(page).getByRole('button', { name: 'Mute for 1 hour' }).click();
    await panel(page).waitFor({ state: 'hidden' });
    expect(await bell(page).getAttribute('aria-label')).toBe('Notifications (muted)');
    await bell(page).click();
    // An hour from now may fall tomorrow, when the line names the day too ("Muted until Mon 30 Nov, 00:25").
    await expect
      .poll(() =>
        panel(page)
          .getByText(/^Muted until (\w{3} \d{1,2} \w{3}, )?\d\d:\d\d$/)
          .count(),
      )
      .toBe(1);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });

    // Elsewhere, a new message in the muted group shows a grey count, here and on the other tab (told by the socket).
    await openFromSidebar(page, 'Bob Chatty');
    await sendMessage(suite.baseUrl, bob, groupId, 'Chapter 3 tonight?');
    for (const tab of [page, secondTab]) {
      await expect.poll(() => sidebarLink(tab, 'Book club').getAttribute('data-muted')).toBe('true');
      await expect.poll(() => unreadBadge(tab, 'Book club').getAttribute('data-greyed')).toBe('true');
      expect(await sidebarLink(tab, 'Book club').textContent()).toContain('muted');
    }

    // Unmuting from the other tab brings the colour back everywhere.
    await openFromSidebar(secondTab, 'Book club');
    await bell(secondTab).click();
    await panel(secondTab).getByRole('button', { name: 'Unmute' }).click();
    await panel(secondTab).waitFor({ state: 'hidden' });
    await openFromSidebar(secondTab, 'Bob Chatty');
    await sendMessage(suite.baseUrl, bob, groupId, 'Or chapter 4?');
    for (const tab of [page, secondTab]) {
      await expect.poll(() => sidebarLink(tab, 'Book club').getAttribute('data-muted')).toBe('false');
      await expect.poll(() => unreadBadge(tab, 'Book club').getAttribute('data-greyed')).toBe('false');
    }

    // A level of its own is kept by the server: it is still chosen after a reload.
    await openFromSidebar(page, 'Book club');
    await bell(page).click();
    await panel(page).getByRole('radio', { name: 'Mentions only' }).click();
    await expect.poll(() => panel(page).getByRole('radio', { name: 'Mentions only' }).isChecked()).toBe(true);
    expect(await panel(page).getByRole('radio', { name: 'Use default (All messages)' }).isChecked()).toBe(false);
    await page.reload();
    await waitConnected(page);
    await bell(page).click();
    expect(await panel(page).getByRole('radio', { name: 'Mentions only' }).isChecked()).toBe(true);
  });
});
