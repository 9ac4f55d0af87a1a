import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createGroup, logIn, registerAccount } from './support/accounts';
import { accessibilityAudit } from './support/axe';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const PHONE = { width: 390, height: 844 };

async function signedIn(account: Account, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await suite.open(viewport);
  await logIn(page, account);
  return page;
}

const timeline = (page: Page) => page.getByRole('region', { name: 'Messages' });
/** The kinds of the system messages in the open timeline, top to bottom. */
const systemKinds = (page: Page) =>
  timeline(page)
    .locator('[data-system]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-system')));

describe('system messages in the browser', () => {
  it('every member sees who renamed, added and removed, live in the open timeline; the removed member is told why', async () => {
    const [ada, ben, cy, dee] = await Promise.all([
      registerAccount(suite.baseUrl, 'Ada Admin'),
      registerAccount(suite.baseUrl, 'Ben Baker'),
      registerAccount(suite.baseUrl, 'Cy Cole'),
      registerAccount(suite.baseUrl, 'Dee Dunn'),
    ]);
    const { id } = await createGroup<{ id: string }>(suite.baseUrl, ada, [ben, cy], { title: 'Team' });

    // Ben follows on a phone, the others on desktops; Dee is not in the group yet.
    const [pageA, pageB, pageC, pageD] = await Promise.all([signedIn(ada), signedIn(ben, PHONE), signedIn(cy), signedIn(dee)]);
    await Promise.all([pageA, pageB, pageC].map((page) => page.goto(`/c/${id}`)));
    await Promise.all([pageA, pageB, pageC].map((page) => page.getByRole('main').getByRole('heading', { name: 'Team', exact: true }).waitFor()));

    // Ada renames the group.
    await pageA.getByRole('button', { name: 'Rename', exact: true }).click();
    const nameInput = pageA.getByRole('main').getByLabel('Group name');
    await nameInput.fill('Launch');
    await nameInput.press('Enter');
    await timeline(pageA).getByText('You renamed the group to "Launch"').waitFor();
    for (const page of [pageB, pageC]) await timeline(page).getByText('Ada Admin renamed the group to "Launch"').waitFor();

    // Ada adds Dee from the member list, which shows who is online.
    await pageA.getByRole('button', { name: '3 members' }).click();
    const sheet = pageA.getByRole('dialog', { name: 'Members' });
    await sheet.getByRole('listitem').filter({ hasText: 'Ben Baker' }).getByRole('img', { name: 'Online' }).waitFor();
    await sheet.getByRole('button', { name: /Add people/ }).click();
    await sheet.getByLabel('Search people').fill('Dee');
    await sheet.getByRole('checkbox', { name: 'Dee Dunn' }).check();
    await sheet.getByRole('button', { name: 'Add to group' }).click();
    await sheet.getByRole('listitem').filter({ hasText: 'Dee Dunn' }).waitFor();
    await timeline(pageA).getByText('You added Dee Dunn').waitFor();
    for (const page of [pageB, pageC]) await timeline(page).getByText('Ada Admin added Dee Dunn').waitFor();

    // Dee finds the group in the sidebar and sees why they are in it, and what came before.
    await pageD
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Launch\b/ })
      .click();
    await timeline(pageD).getByText('Ada Admin added you').waitFor();
    await timeline(pageD).getByText('Ada Admin renamed the group to "Launch"').waitFor();

    const audit = accessibilityAudit();
    await audit.check(pageA, 'members sheet with presence');

    // Removing someone asks first; cancelling keeps them.
    await sheet.getByRole('button', { name: 'Remove Cy Cole' }).click();
    const confirm = pageA.getByRole('alertdialog', { name: 'Remove Cy Cole?' });
    await confirm.waitFor();
    await audit.check(pageA, 'remove member confirmation');
    await pageA.screenshot({ path: '/tmp/web-remove-member-confirm.png' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await sheet.getByRole('listitem').filter({ hasText: 'Cy Cole' }).count()).toBe(1);
    await sheet.getByRole('button', { name: 'Remove Cy Cole' }).click();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await sheet.getByRole('listitem').filter({ hasText: 'Cy Cole' }).waitFor({ state: 'detached' });
    await pageA.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    await timeline(pageA).getByText('You removed Cy Cole').waitFor();
    for (const page of [pageB, pageD]) await timeline(page).getByText('Ada Admin removed Cy Cole').waitFor();
    for (const page of [pageA, pageB]) expect(await systemKinds(page)).toEqual(['renamed', 'members_added', 'member_removed']);
    expect(await systemKinds(pageD)).toEqual(['renamed', 'members_added', 'member_removed']);

    // Cy is told who removed them from what, instead of silently landing on the home page.
    const notice = pageC.getByRole('alert').filter({ hasText: 'Ada Admin removed you from "Launch"' });
    await notice.waitFor();
    await pageC.waitForURL((url) => url.pathname === '/');
    expect(await timeline(pageC).count()).toBe(0);

    // The sidebar previews the latest change in words each person reads.
    await pageA.getByRole('navigation', { name: 'Conversations' }).getByText('You removed Cy Cole').waitFor();

    await audit.check(pageA, 'timeline with system messages');
    await audit.check(pageB, 'timeline with system messages (phone)');
    await audit.check(pageC, 'removal notice');
    audit.assertClean();

    await pageA.screenshot({ path: '/tmp/web-system-messages.png' });
    await pageB.screenshot({ path: '/tmp/web-system-messages-phone.png' });
    await pageC.screenshot({ path: '/tmp/web-system-messages-removed.png' });

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });
});
