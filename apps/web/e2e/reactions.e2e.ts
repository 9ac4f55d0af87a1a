import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { describeViolations, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const bubble = (page: Page, text: string) => timeline(page).locator('[data-message-id]', { hasText: text });
const pill = (page: Page, text: string, emoji: string) => bubble(page, text).getByRole('button', { name: new RegExp(`^${emoji},`) });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

/** Picks an emoji from the picker by searching for its name, with the keyboard (the picker's grid lays out while it filters). */
async function pickEmoji(page: Page, search: string, name: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Add reaction' });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: 'Type to search for an emoji' }).fill(search);
  await dialog.getByRole('button', { name, exact: true }).first().press('Enter');
  await dialog.waitFor({ state: 'hidden' });
}

describe('reactions in the browser', () => {
  it('one user reacts through the picker, the other sees it live, joins in with a click, and hovering names both', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Reactor'), registerAccount(suite.baseUrl, 'Bob Joiner')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Votes' })).id;
    await sendMessage(suite.baseUrl, bob, groupId, 'Pizza on Friday?');

    const { page: pageA } = await suite.open();
    const { page: pageB } = await suite.open();
    // The picker injects its own stylesheet; the page's policy must let exactly that one in.
    const policyErrors: string[] = [];
    pageA.on('console', (entry) => {
      if (entry.type() === 'error' && entry.text().includes('Content Security Policy')) policyErrors.push(entry.text());
    });
    await openConversation(pageA, alice, groupId);
    await openConversation(pageB, bob, groupId);
    await bubble(pageA, 'Pizza on Friday?').waitFor();

    // Alice: the bubble's hover action opens the picker.
    await bubble(pageA, 'Pizza on Friday?').hover();
    await bubble(pageA, 'Pizza on Friday?').getByRole('button', { name: 'Add reaction' }).first().click();
    await pickEmoji(pageA, 'thumbs', 'thumbs up');
    expect(policyErrors, 'policy violations while the picker was open').toEqual([]);

    const mineA = pill(pageA, 'Pizza on Friday?', '👍');
    await expect.poll(() => mineA.getAttribute('aria-pressed')).toBe('true');
    expect(await mineA.innerText()).toContain('1');

    // Bob sees it live, not pressed; a click joins in.
    const bobsPill = pill(pageB, 'Pizza on Friday?', '👍');
    await bobsPill.waitFor();
    expect(await bobsPill.getAttribute('aria-pressed')).toBe('false');
    expect(await bobsPill.innerText()).toContain('1');
    await bobsPill.click();
    await expect.poll(() => bobsPill.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => bobsPill.innerText()).toContain('2');
    // Alice gets the count, and hers stays highlighted.
    await expect.poll(() => mineA.innerText()).toContain('2');
    expect(await mineA.getAttribute('aria-pressed')).toBe('true');

    // Hovering names who reacted.
    await bobsPill.hover();
    const tooltip = pageB.getByRole('tooltip');
    await expect.poll(() => tooltip.innerText()).toBe('Alice Reactor, Bob Joiner reacted with 👍');
    const violations = await seriousViolations(pageB);
    expect(violations, describeViolations('a message with reactions and its tooltip', violations)).toEqual([]);

    // Taking it back lowers the count for both.
    await bobsPill.click();
    await expect.poll(() => bobsPill.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => mineA.innerText()).toContain('1');
  });

  it('works on a phone-sized screen: the picker fits and the pill toggles', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Phone'), registerAccount(suite.baseUrl, 'Bob Phone')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Small' })).id;
    await sendMessage(suite.baseUrl, bob, groupId, 'On the bus');
    const { page } = await suite.open({ width: 390, height: 844 });
    await openConversation(page, alice, groupId);

    await bubble(page, 'On the bus').getByRole('button', { name: 'Add reaction' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add reaction' });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await pickEmoji(page, 'party', 'party popper');

    const mine = pill(page, 'On the bus', '🎉');
    await expect.poll(() => mine.getAttribute('aria-pressed')).toBe('true');
    await mine.click();
    await mine.waitFor({ state: 'detached' });
  });

  it('a 21st different emoji is refused: the pill it showed goes away and the bubble says the message is full', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Full'), registerAccount(suite.baseUrl, 'Bob Many')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Emoji party' })).id;
    const message = await sendMessage<{ id: string }>(suite.baseUrl, bob, groupId, 'React to this');
    const twenty = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋', '😎', '😍', '😘', '🙂', '🤗', '🤩', '🤔', '🤨', '😐'];
    for (const emoji of twenty) {
      await apiAs(suite.baseUrl, bob, 'PUT', `/api/conversations/${groupId}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`, undefined, [200]);
    }
    const { page } = await suite.open();
    await openConversation(page, alice, groupId);
    const reactions = bubble(page, 'React to this').getByRole('list', { name: 'Reactions' });
    await expect.poll(() => reactions.locator('button[aria-pressed]').count()).toBe(20);

    await reactions.getByRole('button', { name: 'Add reaction' }).click();
    await pickEmoji(page, 'party', 'party popper');

    await bubble(page, 'React to this').getByText('This message already has 20 different reactions').waitFor();
    await expect.poll(() => pill(page, 'React to this', '🎉').count()).toBe(0);
    expect(await reactions.locator('button[aria-pressed]').count()).toBe(20);
    expect(await reactions.locator('button[aria-pressed="true"]').count()).toBe(0);
  });
});
