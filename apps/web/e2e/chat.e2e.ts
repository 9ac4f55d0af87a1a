import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createDirect, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await suite.open();
  return opened;
}

async function directBetween(owner: Account, other: Account): Promise<string> {
  return (await createDirect<{ id: string }>(suite.baseUrl, owner, other)).id;
}

function timeline(page: Page) {
  return page.getByRole('log', { name: 'Message history' });
}

function composer(page: Page) {
  return page.getByRole('combobox', { name: 'Message', exact: true });
}

/** The message bubble (the element carrying data-status / data-seq) containing `text`. */
function bubble(page: Page, text: string) {
  return timeline(page).locator('[data-message-id]', { hasText: text });
}

/** Texts of all messages in the timeline, in display order. */
async function messageTexts(page: Page): Promise<string[]> {
  return timeline(page).locator('[data-message-id] [data-message-text]').allTextContents();
}

/** Sends `text` from the open conversation's composer; resolves once it shows as delivered. */
async function sendDelivered(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect.poll(() => bubble(page, text).getAttribute('data-status')).toBe('delivered');
}

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('region', { name: 'Messages' }).waitFor();
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await composer(page).waitFor();
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

describe('chat in the browser', () => {
  it('two people chat both ways live, with typing, catch-up after going offline, edits and deletes', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
    const conversationId = await directBetween(alice, bob);

    const { page: pageA } = await newPage();
    const { context: contextB, page: pageB } = await newPage();
    await openConversation(pageA, alice, conversationId);
    await openConversation(pageB, bob, conversationId);

    // Record every delivery status Alice's bubbles go through, however fast the ack comes back.
    await pageA.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          const nodes = record.type === 'attributes' ? [record.target] : Array.from(record.addedNodes);
          for (const node of nodes) {
            if (!(node instanceof HTMLElement)) continue;
            for (const element of [node, ...Array.from(node.querySelectorAll('[data-status]'))]) {
              const status = element.getAttribute('data-status');
              if (status && seen.at(-1) !== status) seen.push(status);
            }
          }
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    });

    // Alice types: Bob sees it; sending clears it.
    await composer(pageA).pressSequentially('Hi Bob, lunch today?', { delay: 20 });
    await pageB.getByText('Alice Andersen is typing…').waitFor();
    await composer(pageA).press('Enter');
    await bubble(pageB, 'Hi Bob, lunch today?').waitFor();
    await pageB.getByText('Alice Andersen is typing…').waitFor({ state: 'hidden' });
    await expect.poll(() => bubble(pageA, 'Hi Bob, lunch today?').getAttribute('data-status')).toBe('delivered');
    expect(await pageA.evaluate(() => (window as unknown as { statuses: string[] }).statuses)).toEqual(['sending', 'delivered']);
    expect(await composer(pageA).inputValue()).toBe('');

    // Bob answers; Shift+Enter makes a second line instead of sending.
    await composer(pageB).pressSequentially('Sure!', { delay: 20 });
    await pageA.getByText('Bob Brown is typing…').waitFor();
    await composer(pageB).press('Shift+Enter');
    await composer(pageB).pressSequentially('12:30?');
    await composer(pageB).press('Enter');
    await bubble(pageA, '12:30?').waitFor();
    expect(await bubble(pageA, '12:30?').locator('[data-message-text]').textContent()).toBe('Sure!\n12:30?');
    // The sidebar preview follows live.
    await pageA
      .getByRole('navigation', { name: 'Conversations' })
      .getByText(/Sure!\s+12:30\?/)
      .waitFor();

    // Bob drops off the network; Alice writes three messages meanwhile.
    await contextB.setOffline(true);
    // The browser reports the network gone; the connection is down until it comes back.
    await pageB.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    for (const text of ['One', 'Two', 'Three']) {
      await composer(pageA).fill(text);
      await composer(pageA).press('Enter');
      await expect.poll(() => bubble(pageA, text).first().getAttribute('data-status')).toBe('delivered');
    }
    await contextB.setOffline(false);
    await expect.poll(() => messageTexts(pageB), { timeout: 20_000 }).toEqual(['Hi Bob, lunch today?', 'Sure!\n12:30?', 'One', 'Two', 'Three']);
    await pageB.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });

    // Alice edits a message from the menu (Enter saves); both see the new text marked "edited".
    const two = bubble(pageA, 'Two');
    await two.hover();
    await two.getByRole('button', { name: 'Message options' }).click();
    await pageA.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = pageA.getByRole('combobox', { name: 'Edit message' });
    await editor.fill('Two (fixed)');
    await editor.press('Enter');
    await bubble(pageA, 'Two (fixed)').getByText('edited').waitFor();
    await bubble(pageB, 'Two (fixed)').getByText('edited').waitFor();

    // And deletes one, after confirming.
    const one = bubble(pageA, 'One');
    await one.hover();
    await one.getByRole('button', { name: 'Message options' }).click();
    await pageA.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = pageA.getByRole('alertdialog', { name: 'Delete message?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await timeline(pageA).getByText('Message deleted').waitFor();
    await timeline(pageB).getByText('Message deleted').waitFor();
    expect(await messageTexts(pageB)).toEqual(['Hi Bob, lunch today?', 'Sure!\n12:30?', 'Two (fixed)', 'Three']);
  });

  it('shows a new message in the sidebar of a conversation that is not open, with an unread badge', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Abbott'), registerAccount(suite.baseUrl, 'Bob Baker')]);
    const conversationId = await directBetween(alice, bob);
    const { page } = await newPage();
    await logIn(page, bob);
    const link = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /^Alice Abbott\b/ });
    await link.waitFor();
    await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
    await sendMessage(suite.baseUrl, alice, conversationId, 'Ping');
    await link.getByText('Ping').waitFor();
    await expect.poll(() => link.textContent()).toContain('1 unread message');
  });

  it('read receipts: the sender sees the double check once the other person opens the conversation', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Archer'), registerAccount(suite.baseUrl, 'Bob Bishop')]);
    const conversationId = await directBetween(alice, bob);
    await sendMessage(suite.baseUrl, bob, conversationId, 'Earlier message');

    const { page: pageA } = await newPage();
    await openConversation(pageA, alice, conversationId);
    await sendDelivered(pageA, 'Are you there?');

    const { page: pageB } = await newPage();
    await logIn(pageB, bob);
    // The unread total shows in the tab title until Bob reads it.
    await expect.poll(() => pageB.title()).toBe('(1) Chat');
    await pageB
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Alice Archer\b/ })
      .click();
    await bubble(pageB, 'Are you there?').waitFor();
    await pageB.getByRole('separator', { name: 'New messages' }).waitFor();

    await expect.poll(() => bubble(pageA, 'Are you there?').getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
    await bubble(pageA, 'Are you there?').getByText('Read', { exact: true }).waitFor({ state: 'attached' });
    await expect.poll(() => pageB.title()).toBe('Chat');
  });

  it('read receipts in a group: "Read by N" under my latest message opens who read it', async () => {
    const [alice, bob, carol] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Ames'),
      registerAccount(suite.baseUrl, 'Bob Banks'),
      registerAccount(suite.baseUrl, 'Carol Cole'),
    ]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob, carol], { title: 'Trip' })).id;
    const { page: pageA } = await newPage();
    await openConversation(pageA, alice, groupId);
    await sendDelivered(pageA, 'Tickets booked');

    const { page: pageB } = await newPage();
    await openConversation(pageB, bob, groupId);
    await bubble(pageB, 'Tickets booked').waitFor();
    // In a group the sender's name heads the message.
    await timeline(pageB).getByText('Alice Ames', { exact: true }).waitFor();

    const readBy = pageA.getByRole('button', { name: 'Read by 1' });
    await readBy.waitFor({ timeout: 10_000 });
    await readBy.click();
    const info = pageA.getByRole('dialog', { name: 'Message info' });
    await info.getByRole('list', { name: 'Read by' }).getByText('Bob Banks').waitFor();
    expect(await info.getByRole('list', { name: 'Read by' }).textContent()).not.toContain('Carol Cole');
  });
});
