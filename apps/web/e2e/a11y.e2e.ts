import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, logIn, registerAccount } from './support/accounts';
import { accessibilityAudit, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

// Low enough that the test can run into it and show a message that was not sent.
const MESSAGE_RATE_LIMIT = 4;

const suite = useBrowserSuite({ MESSAGE_RATE_LIMIT: String(MESSAGE_RATE_LIMIT) });

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

function composer(page: Page) {
  return page.getByRole('combobox', { name: 'Message', exact: true });
}

function bubble(page: Page, text: string) {
  return page.getByRole('log', { name: 'Message history' }).locator('[data-message-id]', { hasText: text });
}

function send(account: Account, conversationId: string, content: string) {
  return apiAs<{ id: string }>(suite.baseUrl, account, 'POST', `/api/conversations/${conversationId}/messages`, {
    content,
    clientMessageId: crypto.randomUUID(),
  });
}

it('the check itself reports a nameless button and faint text, with their selectors', async () => {
  const { page } = await suite.open();
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>' +
      '<button id="icon-only"><svg width="16" height="16"></svg></button><p id="faint" style="color:#ccc">Faint</p></main></body></html>',
  );
  const violations = await seriousViolations(page);
  expect(violations.map((violation) => [violation.id, violation.nodes.map((node) => node.target)])).toEqual([
    ['button-name', ['#icon-only']],
    ['color-contrast', ['#faint']],
  ]);
  const audit = accessibilityAudit();
  await audit.check(page, 'sample');
  expect(() => audit.assertClean()).toThrow(/sample: 2 serious or critical[\s\S]*button-name \(critical\)[\s\S]*#icon-only/);
});

describe.each(VIEWPORTS)('accessibility on $name', ({ name, viewport }) => {
  async function newPage(): Promise<Page> {
    const opened = await suite.open(viewport);
    return opened.page;
  }

  it('the login and register pages, with and without field errors', async () => {
    const audit = accessibilityAudit();
    const page = await newPage();
    for (const [path, submit] of [
      ['login', 'Log in'],
      ['register', 'Create account'],
    ]) {
      await page.goto(`/${path}`);
      await page.getByRole('button', { name: submit, exact: true }).waitFor();
      await audit.check(page, `${path} (${name})`);

      // Submitting empty shows the field errors, whose text must be as readable as the rest.
      await page.getByRole('button', { name: submit, exact: true }).click();
      await page.getByText(/valid email/i).waitFor();
      await audit.check(page, `${path} with errors (${name})`);
    }
    audit.assertClean();
  });

  it('the chat screen with messages of every kind, its menus and dialogs, and settings', async () => {
    const [alice, bob, carol, dan] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Abbott'),
      registerAccount(suite.baseUrl, 'Bob Baker'),
      registerAccount(suite.baseUrl, 'Carol Chen'),
      registerAccount(suite.baseUrl, `Dan Dawson ${name}`),
    ]);
    const group = await apiAs<{ id: string }>(suite.baseUrl, alice, 'POST', '/api/conversations', {
      type: 'group',
      title: 'Launch',
      participantIds: [bob.id, carol.id],
    });
    // Group changes that show in the timeline as lines of their own.
    await apiAs(suite.baseUrl, alice, 'PATCH', `/api/conversations/${group.id}`, { title: 'Launch plans', isPublic: true });
    await send(bob, group.id, 'Morning! Are the slides ready?');
    const withdrawn = await send(bob, group.id, 'Wrong chat, sorry');
    await apiAs(suite.baseUrl, bob, 'DELETE', `/api/conversations/${group.id}/messages/${withdrawn.id}`);
    await send(carol, group.id, 'I can review them after lunch.');
    const scrapped = await send(alice, group.id, 'Scratch that');
    await apiAs(suite.baseUrl, alice, 'DELETE', `/api/conversations/${group.id}/messages/${scrapped.id}`);
    await send(alice, group.id, 'Almost, sending them in an hour.');
    const ALICE_API_SENDS = 2;
    const audit = accessibilityAudit();

    const page = await newPage();
    await logIn(page, alice);
    // The list with nothing open (on a phone, the list is the whole screen).
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Launch plans\b/ })
      .waitFor();
    await audit.check(page, `conversation list (${name})`);

    await page.goto(`/c/${group.id}`);
    await bubble(page, 'Almost, sending them in an hour.').waitFor();
    await page
      .getByRole('log', { name: 'Message history' })
      .getByText(/renamed the group/)
      .waitFor();
    await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
    await expect.poll(() => composer(page).isEnabled()).toBe(true);

    // Own messages sent from the screen up to the limit, then one the server refuses for going too fast.
    for (let sent = ALICE_API_SENDS + 1; sent <= MESSAGE_RATE_LIMIT + 1; sent++) {
      const text = `Update ${sent}`;
      await composer(page).fill(text);
      await composer(page).press('Enter');
      if (sent <= MESSAGE_RATE_LIMIT) await expect.poll(() => bubble(page, text).getAttribute('data-status')).toBe('delivered');
      else await expect.poll(() => bubble(page, text).textContent()).toMatch(/too fast|try again/i);
    }

    // And one written while the network is gone, waiting to be sent.
    await page.context().setOffline(true);
    await page.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    await composer(page).fill('Written offline');
    await composer(page).press('Enter');
    await bubble(page, 'Written offline').waitFor();
    expect(await bubble(page, 'Written offline').getAttribute('data-status')).not.toBe('delivered');
    await audit.check(page, `chat with own, others', deleted, refused and waiting messages, offline (${name})`);
    await page.context().setOffline(false);
    await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });

    // The message menu of an own message, and the confirmation its Delete asks for.
    const own = bubble(page, 'Almost, sending them in an hour.');
    await own.hover();
    await own.getByRole('button', { name: 'Message options' }).click();
    await own.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    await audit.check(page, `message menu (${name})`);
    await own.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete message?' });
    await confirm.waitFor();
    await audit.check(page, `delete message confirmation (${name})`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });

    // Who has read a message.
    await own.hover();
    await own.getByRole('button', { name: 'Message options' }).click();
    await own.getByRole('button', { name: 'Info', exact: true }).click();
    const info = page.getByRole('dialog', { name: 'Message info' });
    await info.waitFor();
    await audit.check(page, `message info (${name})`);
    await page.keyboard.press('Escape');
    await info.waitFor({ state: 'detached' });

    // The members sheet and its "add people" search.
    await page.getByRole('button', { name: '3 members' }).click();
    const sheet = page.getByRole('dialog', { name: 'Members' });
    await sheet.getByText('Carol Chen').waitFor();
    await audit.check(page, `members sheet (${name})`);
    await sheet.getByRole('button', { name: /Add people/ }).click();
    // One result who can be added and one who is already in, shown differently.
    await sheet.getByLabel('Search people').fill('Carol');
    await sheet.getByText('Carol Chen').last().waitFor();
    await audit.check(page, `members sheet, adding people (${name})`);
    await sheet.getByLabel('Search people').fill(`Dan Dawson ${name}`);
    await sheet.getByText(`Dan Dawson ${name}`).waitFor();
    await audit.check(page, `members sheet, search results (${name})`);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    // The new conversation dialog, from the list (on a phone the list is a screen of its own).
    if (name === 'phone') await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.getByRole('button', { name: 'New conversation', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.waitFor();
    await audit.check(page, `new conversation dialog (${name})`);
    await dialog.getByLabel('Search people').fill(`Dan Dawson ${name}`);
    await dialog.getByRole('button', { name: `Dan Dawson ${name}` }).waitFor();
    await audit.check(page, `new conversation dialog, search results (${name})`);
    await dialog.getByRole('radio', { name: 'Group' }).click();
    await dialog.getByLabel('Group name').waitFor();
    await dialog.getByLabel('Search people').fill(`Dan Dawson ${name}`);
    await dialog.getByRole('checkbox', { name: `Dan Dawson ${name}` }).check();
    await audit.check(page, `new conversation dialog, a group (${name})`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: /Save/ }).first().waitFor();
    await audit.check(page, `settings (${name})`);

    // Someone outside the public group following its invite link, and a link to nowhere.
    const outsider = await newPage();
    await logIn(outsider, dan);
    await outsider.goto(`/c/${group.id}`);
    await outsider.getByRole('button', { name: /Join/ }).waitFor();
    await audit.check(outsider, `invite page of a public group (${name})`);
    await outsider.goto('/no-such-page');
    await outsider.getByText('Page not found').waitFor();
    await audit.check(outsider, `page not found (${name})`);
    audit.assertClean();
  });
});
