import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createDirect, createGroup, logIn, PASSWORD, registerAccount } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

const suite = useBrowserSuite();

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  return (await suite.open(viewport)).page;
}

/** A phone: touch input, 390x844. */
async function newPhonePage(): Promise<Page> {
  const context = await suite.browser.newContext({ baseURL: suite.baseUrl, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  context.setDefaultTimeout(15_000);
  suite.track(context);
  return context.newPage();
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Nothing sticks out sideways: the page is no wider than the screen. */
async function fitsTheWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Console errors (CSP violations included) and failed HTTP responses, as they happen. */
function recordTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) trouble.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return trouble;
}

const header = (page: Page) => page.getByRole('banner');

/** Where an element's centre is, to press on it the way a person does. */
async function centreOf(page: Page, name: string) {
  const box = await page.getByRole('link', { name }).boundingBox();
  if (!box) throw new Error(`${name} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('first visit and sign-up', () => {
  it('a logged-out first visit and a signed-in load make no failing request and log no error', async () => {
    const account = await registerAccount(suite.baseUrl, 'Quiet Quinn');
    const page = await newPage();
    const trouble = recordTrouble(page);
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/refresh') refreshes.push(request.url());
    });

    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Log in to Chat' }).waitFor();
    // Nothing says a session exists in this browser, so none is asked for.
    expect(refreshes).toEqual([]);
    expect(trouble).toEqual([]);

    await logIn(page, account);
    await page.getByText('No conversations yet').waitFor();
    await page.reload();
    await header(page).getByText(account.displayName, { exact: true }).waitFor();
    await page.getByText('No conversations yet').waitFor();
    expect(refreshes.length).toBeGreaterThan(0);
    expect(trouble).toEqual([]);

    // A conversation with a message, under the Content-Security-Policy: nothing refused.
    const friend = await registerAccount(suite.baseUrl, 'Friendly Fran');
    const direct = await createDirect<{ id: string }>(suite.baseUrl, friend, account);
    await apiAs(suite.baseUrl, friend, 'POST', `/api/conversations/${direct.id}/messages`, {
      content: 'Hello **there**, see https://example.com',
      clientMessageId: crypto.randomUUID(),
    });
    await page.goto(`/c/${direct.id}`);
    await page.getByRole('main').getByText('see https://example.com', { exact: false }).first().waitFor();
    expect(trouble).toEqual([]);

    // Signing out forgets it: the next load asks nothing again.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    const before = refreshes.length;
    await page.reload();
    await page.getByRole('heading', { name: 'Log in to Chat' }).waitFor();
    expect(refreshes.length).toBe(before);
    expect(trouble).toEqual([]);
  });

  it('"Create an account" works on the first click while the focused email field holds an invalid address', async () => {
    const page = await newPage();
    await page.goto('/login');
    const email = page.getByLabel('Email');
    await email.pressSequentially('not-an-email');
    expect(await email.evaluate((element) => element === document.activeElement)).toBe(true);

    // A person's click: press, a moment, release. Focus leaves the field on the press.
    const at = await centreOf(page, 'Create an account');
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.waitForTimeout(150);
    await page.mouse.up();

    await page.waitForURL((url) => url.pathname === '/register');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  });

  it('works on the first tap on a phone too', async () => {
    const page = await newPhonePage();
    await page.goto('/login');
    await page.getByLabel('Email').pressSequentially('still not an email');
    const at = await centreOf(page, 'Create an account');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: at.x, y: at.y }] });
    await page.waitForTimeout(120);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });

    await page.waitForURL((url) => url.pathname === '/register');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  });
});

describe('account settings', () => {
  it('changes the display name and the password; the other browser of the same user follows, then is signed out', async () => {
    const account = await registerAccount(suite.baseUrl, 'Ada Lovelace');
    const friend = await registerAccount(suite.baseUrl, 'Charles Babbage');
    await createDirect(suite.baseUrl, friend, account);
    const here = await newPage();
    const elsewhere = await newPage();
    const friendsPage = await newPage();
    await logIn(here, account);
    await logIn(elsewhere, account);
    await logIn(friendsPage, friend);
    const friendsSidebar = friendsPage.getByRole('navigation', { name: 'Conversations' });
    await friendsSidebar.getByText('Ada Lovelace').first().waitFor();

    await header(here).getByRole('link', { name: 'Settings' }).click();
    const nameForm = here.getByRole('form', { name: 'Display name' });
    await nameForm.waitFor();

    // A too-short name is refused with the shared rule's message, before any request.
    await nameForm.getByLabel('Display name').fill('A');
    await nameForm.getByRole('button', { name: 'Save name' }).click();
    await nameForm.getByText('Display name must be at least 2 characters').waitFor();

    await nameForm.getByLabel('Display name').fill('Ada King');
    await nameForm.getByRole('button', { name: 'Save name' }).click();
    await nameForm.getByText('Display name saved').waitFor();
    await header(here).getByText('Ada King', { exact: true }).waitFor();
    // The other browser shows the new name without a reload, and so does the person she talks to.
    await header(elsewhere).getByText('Ada King', { exact: true }).waitFor();
    // Nothing polls the list: the socket event brought it.
    await friendsSidebar.getByText('Ada King').first().waitFor({ timeout: 5_000 });
    expect(await friendsSidebar.getByText('Ada Lovelace').count()).toBe(0);

    const passwordForm = here.getByRole('form', { name: 'Password' });
    await passwordForm.getByLabel('Current password').fill('not my password');
    await passwordForm.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await passwordForm.getByLabel('Confirm new password').fill('a brand new passphrase');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await passwordForm.getByText('The current password is not correct').waitFor();
    expect(await passwordForm.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    // A wrong password signs nobody out.
    expect(new URL(elsewhere.url()).pathname).toBe('/');

    await passwordForm.getByLabel('Current password').fill(PASSWORD);
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await passwordForm.getByText('Password changed. Your other devices were signed out.').waitFor();
    await screenshot(here, 'settings-desktop');

    await elsewhere.waitForURL((url) => url.pathname === '/login');
    await elsewhere.getByRole('heading', { name: 'Log in to Chat' }).waitFor();

    // This browser stays signed in, across a reload too.
    await here.reload();
    await header(here).getByText('Ada King', { exact: true }).waitFor();
    expect(new URL(here.url()).pathname).toBe('/settings');

    // Only the new password opens the account now.
    await elsewhere.getByLabel('Email').fill(account.email);
    await elsewhere.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
    await elsewhere.getByRole('button', { name: 'Log in', exact: true }).click();
    await header(elsewhere).getByText('Ada King', { exact: true }).waitFor();
  });
});

describe('invite link to a public group', () => {
  it('shows the group name and member count, and joins', async () => {
    const owner = await registerAccount(suite.baseUrl, 'Olive Owner');
    const member = await registerAccount(suite.baseUrl, 'Mo Member');
    const guest: Account = await registerAccount(suite.baseUrl, 'Gus Guest');
    const group = await createGroup<{ id: string }>(suite.baseUrl, owner, [member], { title: 'Open house', isPublic: true });

    const page = await newPage();
    await logIn(page, guest);
    await page.goto(`/c/${group.id}`);
    const main = page.getByRole('main');
    await main.getByRole('heading', { name: 'Open house' }).waitFor();
    await main.getByText('Public group · 2 members').waitFor();
    expect(await main.getByText('This conversation is not available').count()).toBe(0);

    await screenshot(page, 'invite-desktop');
    await main.getByRole('button', { name: 'Join group' }).click();
    await main.getByRole('button', { name: 'Join group' }).waitFor({ state: 'detached' });
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Open house\b/ })
      .waitFor();
    const preview = await apiAs<{ participantCount: number; isMember: boolean }>(suite.baseUrl, guest, 'GET', `/api/conversations/${group.id}/preview`);
    expect(preview).toMatchObject({ participantCount: 3, isMember: true });
  });
});

describe('on a phone', () => {
  it('the settings page and an invite link fit the screen, with their buttons in reach', async () => {
    const owner = await registerAccount(suite.baseUrl, 'Pia Phone');
    const member = await registerAccount(suite.baseUrl, 'Max Member');
    const guest = await registerAccount(suite.baseUrl, 'Gina Guest');
    const group = await createGroup<{ id: string }>(suite.baseUrl, owner, [member], { title: 'Pocket club', isPublic: true });
    const page = await newPhonePage();
    await logIn(page, guest);

    await page.goto('/settings');
    for (const name of ['Save name', 'Change password', 'Save privacy settings']) {
      const button = page.getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      expect(await button.isVisible(), name).toBe(true);
    }
    expect(await page.getByRole('radio').count()).toBe(3);
    expect(await fitsTheWidth(page)).toBe(true);
    await screenshot(page, 'settings-phone');

    await page.goto(`/c/${group.id}`);
    await page.getByRole('main').getByRole('heading', { name: 'Pocket club' }).waitFor();
    await page.getByText('Public group · 2 members').waitFor();
    expect(await page.getByRole('button', { name: 'Join group' }).isVisible()).toBe(true);
    expect(await fitsTheWidth(page)).toBe(true);
    await screenshot(page, 'invite-phone');
  });
});

describe('security headers in the browser', () => {
  it('the Swagger UI renders under its policy', async () => {
    const page = await newPage();
    const trouble = recordTrouble(page);
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    await page.getByText('/api/auth/password').first().waitFor();
    expect(trouble.filter((line) => /Content Security Policy|Refused/i.test(line))).toEqual([]);
  });
});
