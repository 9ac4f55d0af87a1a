import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { type Account, apiAs, createDirect, logIn, registerAccount } from './support/accounts';
import { useBrowserSuite } from './support/suite';

/**
 * The server sends a presence transition only to the tabs that asked for it: these check that the
 * web asks for whoever it shows (sidebar contacts, the open group's members), and asks again after
 * its connection comes back.
 */

// Above the client's 15 s heartbeat, as in presence.e2e.ts; a closed tab goes offline at once anyway.
const suite = useBrowserSuite({ PRESENCE_TTL_SECONDS: '20', HEARTBEAT_TIMEOUT_SECONDS: '20' });

function sidebarLink(page: Page, title: string) {
  return page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${title}\\b`) });
}

async function directBetween(owner: Account, other: Account): Promise<string> {
  return (await createDirect<{ id: string }>(suite.baseUrl, owner, other)).id;
}

/** Signs `account` in in a browser of its own; closing the returned page ends that session's socket. */
async function signInElsewhere(account: Account): Promise<Page> {
  const { page } = await suite.open();
  await logIn(page, account);
  return page;
}

describe('presence of the people on screen', () => {
  it('shows a sidebar contact coming online and going offline, without a reload', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Amsel'), registerAccount(suite.baseUrl, 'Bob Birke')]);
    await directBetween(alice, bob);

    const { page: pageA } = await suite.open();
    await logIn(pageA, alice);
    const bobInSidebar = sidebarLink(pageA, 'Bob Birke');
    await bobInSidebar.locator('[data-presence="offline"]').waitFor();

    const pageB = await signInElsewhere(bob);
    await bobInSidebar.locator('[data-presence="online"]').waitFor();

    await pageB.close();
    await bobInSidebar.locator('[data-presence="offline"]').waitFor({ timeout: 30_000 });
  });

  it('keeps statuses live after its own connection drops and comes back', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Aster'), registerAccount(suite.baseUrl, 'Bob Buche')]);
    await directBetween(alice, bob);

    const { context: contextA, page: pageA } = await suite.open();
    await logIn(pageA, alice);
    const bobInSidebar = sidebarLink(pageA, 'Bob Buche');
    await bobInSidebar.locator('[data-presence="offline"]').waitFor();

    // A new connection starts with no subscriptions: the web has to ask again for Bob.
    await contextA.setOffline(true);
    await pageA.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    await contextA.setOffline(false);
    await pageA.getByRole('banner').getByText('Connected').waitFor({ state: 'attached', timeout: 30_000 });

    const pageB = await signInElsewhere(bob);
    await bobInSidebar.locator('[data-presence="online"]').waitFor();
    await pageB.close();
    await bobInSidebar.locator('[data-presence="offline"]').waitFor({ timeout: 30_000 });
  });

  it("counts the open group's members who are online, though they are not in the sidebar", async () => {
    const [alice, carol, dave] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Ahorn'),
      registerAccount(suite.baseUrl, 'Carol Cedar'),
      registerAccount(suite.baseUrl, 'Dave Dorn'),
    ]);
    const group = await apiAs<{ id: string }>(suite.baseUrl, alice, 'POST', '/api/conversations', {
      type: 'group',
      title: 'Garden club',
      participantIds: [carol.id, dave.id],
    });

    const { page: pageA } = await suite.open();
    await logIn(pageA, alice);
    await pageA.goto(`/c/${group.id}`);
    const header = pageA.getByRole('main').locator('header');
    await header.getByText('Garden club').waitFor();
    await header.getByText(/^\d+ members?$/).waitFor();

    const pageC = await signInElsewhere(carol);
    await header.getByText('1 online', { exact: true }).waitFor();
    const pageD = await signInElsewhere(dave);
    await header.getByText('2 online', { exact: true }).waitFor();

    await pageC.close();
    await header.getByText('1 online', { exact: true }).waitFor({ timeout: 30_000 });
    await pageD.close();
    await header.getByText(/^\d+ online$/).waitFor({ state: 'detached', timeout: 30_000 });
  });
});
