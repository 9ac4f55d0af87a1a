import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createDirect, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { describeViolations, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const editor = (page: Page) => page.getByRole('combobox', { name: 'Edit message' });
const mentionList = (page: Page) => page.getByRole('listbox', { name: 'Mention someone' });
const bubble = (page: Page, text: string) => timeline(page).locator('[data-message-id]', { hasText: text });
const sidebarLink = (page: Page, title: string) =>
  page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${title}\\b`) });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

/** Each element's text without what is hidden from screen readers (the avatars' initials). */
function spokenTexts(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) =>
    elements.map((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return copy.textContent ?? '';
    }),
  );
}

const optionNames = (page: Page) => spokenTexts(mentionList(page).getByRole('option'));

/** The active option, as a screen reader announces it through aria-activedescendant. */
async function activeOption(page: Page): Promise<string | undefined> {
  const id = await composer(page).getAttribute('aria-activedescendant');
  return id ? (await spokenTexts(page.locator(`[id="${id}"]`)))[0] : undefined;
}

describe('mentions in the browser', () => {
  it('the autocomplete inserts a mention with the keyboard; the person mentioned sees it highlighted and counted until read, on every tab', async () => {
    const [alice, bob, cat] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Asker'),
      registerAccount(suite.baseUrl, 'Bob Mentioned'),
      registerAccount(suite.baseUrl, 'Cat Bystander'),
    ]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob, cat], { title: 'Lunch crew' })).id;
    const elsewhereId = (await createDirect<{ id: string }>(suite.baseUrl, bob, cat)).id;

    const { page: pageA } = await suite.open();
    await openConversation(pageA, alice, groupId);
    // Bob is in another conversation, with a second tab on the list.
    const { context: contextB, page: pageB } = await suite.open();
    await openConversation(pageB, bob, elsewhereId);
    const secondTab = await contextB.newPage();
    await secondTab.goto('/');
    await secondTab.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });

    // "@" lists the other members and everyone; the arrows move through them.
    await composer(pageA).pressSequentially('Lunch? @');
    await mentionList(pageA).waitFor();
    expect(await optionNames(pageA)).toEqual(['Bob Mentioned', 'Cat Bystander', 'everyone: Notify everyone in this group']);
    expect(await composer(pageA).getAttribute('aria-expanded')).toBe('true');
    expect(await activeOption(pageA)).toBe('Bob Mentioned');
    await composer(pageA).press('ArrowDown');
    expect(await activeOption(pageA)).toBe('Cat Bystander');
    const violations = await seriousViolations(pageA);
    expect(violations, describeViolations('composer with the mention list open', violations)).toEqual([]);

    // Esc closes the list only: the text stays, nothing is sent, the conversation stays open.
    await composer(pageA).press('Escape');
    await mentionList(pageA).waitFor({ state: 'hidden' });
    expect(await composer(pageA).getAttribute('aria-expanded')).toBe('false');
    expect(await composer(pageA).inputValue()).toBe('Lunch? @');
    expect(new URL(pageA.url()).pathname).toBe(`/c/${groupId}`);
    expect(await timeline(pageA).count()).toBe(0);

    // Typed again, "@bo" finds Bob alone; ArrowDown stays on him, Enter inserts him instead of sending.
    await composer(pageA).press('Backspace');
    await composer(pageA).pressSequentially('@bo');
    await mentionList(pageA).waitFor();
    expect(await optionNames(pageA)).toEqual(['Bob Mentioned']);
    await composer(pageA).press('ArrowDown');
    await composer(pageA).press('Enter');
    await mentionList(pageA).waitFor({ state: 'hidden' });
    expect(await composer(pageA).inputValue()).toBe('Lunch? @Bob Mentioned ');
    expect(await timeline(pageA).count()).toBe(0);

    await composer(pageA).pressSequentially('at noon');
    await composer(pageA).press('Enter');
    await expect.poll(() => bubble(pageA, 'at noon').getAttribute('data-status')).toBe('delivered');

    // Bob, elsewhere, sees the mention counted on both tabs.
    for (const page of [pageB, secondTab]) {
      await expect.poll(() => sidebarLink(page, 'Lunch crew').textContent()).toContain('1 mention');
    }

    // Opening the conversation shows his name as a highlighted chip in a bubble marked for him, and reading clears the count everywhere.
    await sidebarLink(pageB, 'Lunch crew').click();
    const mentioned = bubble(pageB, 'at noon');
    await mentioned.waitFor();
    expect(await mentioned.locator('[data-message-text]').textContent()).toBe('Lunch? @Bob Mentioned at noon');
    expect(await mentioned.locator('[data-mention="me"]').textContent()).toBe('@Bob Mentioned');
    await mentioned.getByText('Mentions you', { exact: false }).waitFor({ state: 'attached' });
    for (const page of [pageB, secondTab]) {
      await expect.poll(() => sidebarLink(page, 'Lunch crew').textContent(), { timeout: 10_000 }).not.toContain('mention');
    }

    // Cat, not named, sees the name as a plain chip and no mention.
    const { page: pageC } = await suite.open();
    await openConversation(pageC, cat, groupId);
    const seenByCat = bubble(pageC, 'at noon');
    await seenByCat.locator('[data-mention]').waitFor();
    expect(await seenByCat.locator('[data-mention="me"]').count()).toBe(0);
    expect(await seenByCat.getByText('Mentions you', { exact: false }).count()).toBe(0);
  });

  it('editing a message offers the same autocomplete; a name picked with the keyboard mentions them once saved', async () => {
    const [alice, bob, cat] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Editor'),
      registerAccount(suite.baseUrl, 'Bob Named'),
      registerAccount(suite.baseUrl, 'Cat Other'),
    ]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob, cat], { title: 'Edit crew' })).id;
    const elsewhereId = (await createDirect<{ id: string }>(suite.baseUrl, bob, cat)).id;
    await sendMessage(suite.baseUrl, alice, groupId, 'Meeting moved');

    const { page: pageA } = await suite.open();
    await openConversation(pageA, alice, groupId);
    await bubble(pageA, 'Meeting moved').waitFor();
    const { page: pageB } = await suite.open();
    await openConversation(pageB, bob, elsewhereId);
    // Unread, not yet a mention.
    await sidebarLink(pageB, 'Edit crew').locator('[data-unread-badge]').waitFor();
    expect(await sidebarLink(pageB, 'Edit crew').textContent()).not.toContain('mention');

    // Up in the empty composer edits the last own message; "@na" in the editor finds Bob alone.
    await composer(pageA).press('ArrowUp');
    await editor(pageA).waitFor();
    await editor(pageA).pressSequentially(', ask @na');
    await mentionList(pageA).waitFor();
    expect(await optionNames(pageA)).toEqual(['Bob Named']);
    expect(await editor(pageA).getAttribute('aria-expanded')).toBe('true');

    // Esc closes only the list: the edit goes on.
    await editor(pageA).press('Escape');
    await mentionList(pageA).waitFor({ state: 'hidden' });
    expect(await editor(pageA).inputValue()).toBe('Meeting moved, ask @na');

    // The "@" typed again, Tab picks him; Enter then saves the edit.
    for (let i = 0; i < 3; i++) await editor(pageA).press('Backspace');
    await editor(pageA).pressSequentially('@na');
    await mentionList(pageA).waitFor();
    await editor(pageA).press('Tab');
    await mentionList(pageA).waitFor({ state: 'hidden' });
    expect(await editor(pageA).inputValue()).toBe('Meeting moved, ask @Bob Named ');
    await editor(pageA).press('Enter');
    await editor(pageA).waitFor({ state: 'detached' });
    await bubble(pageA, 'ask @Bob Named').getByText('edited').waitFor();
    expect(await bubble(pageA, 'ask @Bob Named').locator('[data-mention]').textContent()).toBe('@Bob Named');

    // Bob, elsewhere, sees the unread message now counted as a mention, and his name as his chip when he opens it.
    await expect.poll(() => sidebarLink(pageB, 'Edit crew').textContent()).toContain('1 mention');
    await sidebarLink(pageB, 'Edit crew').click();
    const mentioned = bubble(pageB, 'ask @Bob Named');
    await mentioned.waitFor();
    expect(await mentioned.locator('[data-mention="me"]').textContent()).toBe('@Bob Named');
    await mentioned.getByText('Mentions you', { exact: false }).waitFor({ state: 'attached' });
  });
});
