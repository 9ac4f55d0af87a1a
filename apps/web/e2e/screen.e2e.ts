import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createDirect, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const PHONE = { width: 390, height: 844 };
/** "007": message texts that are never a prefix of one another. */
const pad = (index: number) => String(index).padStart(3, '0');

// Tests fill conversations through the API faster than a person could type.
const suite = useBrowserSuite({ MESSAGE_RATE_LIMIT: '100000' });

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const opened = await suite.open(viewport);
  return opened.page;
}

const send = (account: Account, conversationId: string, content: string) => sendMessage(suite.baseUrl, account, conversationId, content);

async function sendMany(account: Account, conversationId: string, count: number, text: (index: number) => string) {
  const sent: { id: string; seq: number }[] = [];
  for (let index = 1; index <= count; index += 1) sent.push(await send(account, conversationId, text(index)));
  return sent;
}

async function pair(): Promise<{ alice: Account; bob: Account; conversationId: string }> {
  const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
  const { id } = await createDirect(suite.baseUrl, alice, bob);
  return { alice, bob, conversationId: id };
}

/** Alice and Bob's conversation: `fillers` messages from one of them, then `text` from `lastFrom`. */
async function pairEndingWith(lastFrom: 'alice' | 'bob', text: string, fillers: number) {
  const people = await pair();
  await sendMany(lastFrom === 'alice' ? people.bob : people.alice, people.conversationId, fillers, (index) => `Filler ${pad(index)}`);
  await send(people[lastFrom], people.conversationId, text);
  return people;
}

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const bubble = (page: Page, text: string) => timeline(page).locator('[data-message-id]', { hasText: text });
/** The list item (the roving tab stop) holding the message with `text`. */
const item = (page: Page, text: string) => timeline(page).locator('li[data-item-key]', { hasText: text });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await timeline(page).waitFor();
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

/** How far the document itself can scroll (0 when it cannot), and whether it has scrolled. */
function documentOverflow(page: Page) {
  return page.evaluate(() => ({
    overflow: document.documentElement.scrollHeight - window.innerHeight,
    scrolled: window.scrollY + document.documentElement.scrollTop + document.body.scrollTop,
  }));
}

async function isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement || element.contains(document.activeElement));
}

describe('the message screen', () => {
  for (const [name, viewport] of [
    ['desktop', undefined],
    ['phone', PHONE],
  ] as const) {
    it(`never scrolls the document, however the long conversation is scrolled (${name})`, async () => {
      const { alice, bob, conversationId } = await pair();
      // Both sides: own messages carry the screen-reader status labels that used to escape the list.
      for (let index = 1; index <= 40; index += 1) {
        await send(index % 2 ? alice : bob, conversationId, `Message ${pad(index)}\nwith a second line`);
      }
      const page = await newPage(viewport);
      await openConversation(page, alice, conversationId);
      await bubble(page, 'Message 040').waitFor();
      expect(await documentOverflow(page)).toEqual({ overflow: 0, scrolled: 0 });

      // Wheel over the list (up to the start and back), keys, and scrolling everything that can scroll.
      const list = timeline(page);
      await list.hover();
      for (let turn = 0; turn < 10; turn += 1) await page.mouse.wheel(0, -2_000);
      await bubble(page, 'Message 001').waitFor();
      for (let turn = 0; turn < 10; turn += 1) await page.mouse.wheel(0, 2_000);
      await item(page, 'Message 020').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('PageDown');
      await page.keyboard.press('Home');
      await page.evaluate(() => {
        for (const element of Array.from(document.querySelectorAll('*'))) element.scrollIntoView?.({ block: 'end' });
        window.scrollTo(0, 10_000);
      });
      expect(await documentOverflow(page)).toEqual({ overflow: 0, scrolled: 0 });
      // The page still shows the app: header and composer in view.
      expect(await composer(page).isVisible()).toBe(true);
      const box = await composer(page).boundingBox();
      expect(box && box.y + box.height <= (viewport ?? { height: 800 }).height).toBe(true);
    });
  }

  it('puts focus in the composer when a conversation is opened from the sidebar', async () => {
    const { alice, conversationId } = await pair();
    await send(alice, conversationId, 'Hello');
    const page = await newPage();
    await logIn(page, alice);
    const link = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Bob Brown/ });
    await link.click();
    await page.waitForURL(`**/c/${conversationId}`);
    await expect.poll(() => isFocused(composer(page))).toBe(true);
    // Typing goes into the conversation.
    await page.keyboard.type('Typed straight away');
    expect(await composer(page).inputValue()).toBe('Typed straight away');
  });

  it('focuses the first field of a dialog and hands focus back to its opener on close', async () => {
    const { alice } = await pair();
    const page = await newPage();
    await logIn(page, alice);
    const opener = page.getByRole('button', { name: 'New conversation' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.waitFor();
    await expect.poll(() => isFocused(dialog.getByRole('searchbox', { name: 'Search people' }))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => isFocused(opener)).toBe(true);
  });

  it('"Add people" focuses its search field, and the members sheet returns focus when closed', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
    const { id } = await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Team' });
    await send(alice, id, 'Welcome');
    const page = await newPage();
    await openConversation(page, alice, id);
    const opener = page.getByRole('button', { name: '2 members' });
    await opener.click();
    const sheet = page.getByRole('dialog', { name: 'Members' });
    await sheet.getByRole('button', { name: 'Add people' }).click();
    await expect.poll(() => isFocused(sheet.getByRole('searchbox', { name: 'Search people' }))).toBe(true);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    await expect.poll(() => isFocused(opener)).toBe(true);
  });

  it('moves between messages with the arrow keys, opens the options with Enter and closes them with Escape', async () => {
    const { alice, bob, conversationId } = await pair();
    const lines = await sendMany(bob, conversationId, 30, (index) => `Line ${pad(index)}`);
    // Already read, so the conversation opens at the bottom and the newest message is the current one.
    await apiAs(suite.baseUrl, alice, 'POST', `/api/conversations/${conversationId}/read`, { messageId: lines.at(-1)?.id });
    const page = await newPage();
    await openConversation(page, alice, conversationId);
    await bubble(page, 'Line 030').waitFor();
    await composer(page).focus();

    // One tab stop for the whole list.
    expect(await timeline(page).locator('li[tabindex="0"]').count()).toBe(1);
    // Back from the composer: its attach button, then the list's one stop.
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => isFocused(page.getByRole('button', { name: 'Attach files' }))).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => isFocused(item(page, 'Line 030'))).toBe(true);
    // Back to the composer in a few Tabs (the current message's own button), not thirty.
    let tabs = 0;
    while (!(await isFocused(composer(page))) && tabs < 5) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    expect(await isFocused(composer(page))).toBe(true);

    await item(page, 'Line 030').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Line 028');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Line 001');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Line 029');

    await page.keyboard.press('Enter');
    const copy = page.getByRole('button', { name: 'Copy text' });
    await copy.waitFor();
    expect(await isFocused(copy)).toBe(true);
    await page.keyboard.press('Escape');
    await copy.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Line 029');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LI');
  });

  it('edits the last own message with Up in an empty composer; Escape cancels, Enter saves', async () => {
    const { alice, bob, conversationId } = await pair();
    await send(alice, conversationId, 'First draft');
    await send(alice, conversationId, 'Second draft');
    await send(bob, conversationId, 'Reply from Bob');
    const page = await newPage();
    await openConversation(page, alice, conversationId);
    await composer(page).focus();

    await page.keyboard.press('ArrowUp');
    const editor = page.getByRole('combobox', { name: 'Edit message' });
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('Second draft');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden' });
    expect(await isFocused(composer(page))).toBe(true);

    await page.keyboard.press('ArrowUp');
    await editor.fill('Second draft, fixed');
    await editor.press('Enter');
    await bubble(page, 'Second draft, fixed').getByText('edited').waitFor();
    await expect.poll(() => isFocused(composer(page))).toBe(true);

    // With text in the composer, Up moves the caret as usual.
    await composer(page).fill('one\ntwo');
    await page.keyboard.press('ArrowUp');
    expect(await editor.count()).toBe(0);
  });

  it("keeps the last message's menu fully on screen above the composer, and shows the options button on a phone", async () => {
    const { alice, conversationId } = await pairEndingWith('alice', 'My last word', 20);
    for (const viewport of [undefined, PHONE]) {
      const page = await newPage(viewport);
      await openConversation(page, alice, conversationId);
      const last = bubble(page, 'My last word');
      const trigger = last.getByRole('button', { name: 'Message options' });
      if (viewport) {
        // No hover on a phone: the button is there to tap.
        expect(await trigger.evaluate((element) => Number(getComputedStyle(element.parentElement as Element).opacity))).toBe(1);
      } else {
        await last.hover();
      }
      await trigger.click();
      const remove = page.getByRole('button', { name: 'Delete', exact: true });
      await remove.waitFor();
      const item = await remove.boundingBox();
      const input = await composer(page).boundingBox();
      const size = page.viewportSize();
      expect(item && input && size).toBeTruthy();
      if (!item || !input || !size) return;
      expect(item.y).toBeGreaterThanOrEqual(0);
      expect(item.y + item.height).toBeLessThanOrEqual(input.y);
      // And nothing covers it: it is what a tap at its centre hits.
      expect(
        await remove.evaluate((element) => {
          const rect = element.getBoundingClientRect();
          return element.contains(document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2));
        }),
      ).toBe(true);
      await page.keyboard.press('Escape');
    }
  });

  it("opens the menu of someone else's short message fully on screen, with only what applies to it", async () => {
    const { alice, conversationId } = await pairEndingWith('bob', 'Ok', 12);
    for (const viewport of [undefined, PHONE]) {
      const page = await newPage(viewport);
      await openConversation(page, alice, conversationId);
      const last = bubble(page, 'Ok');
      if (!viewport) await last.hover();
      await last.getByRole('button', { name: 'Message options' }).click();
      const copy = page.getByRole('button', { name: 'Copy text', exact: true });
      await copy.waitFor();
      // The panel is not cut off by the list's left edge (nor the window's): a tap at its centre hits it.
      const panel = copy.locator('xpath=ancestor::ul[1]');
      const box = await panel.boundingBox();
      const list = await timeline(page).boundingBox();
      expect(box && list).toBeTruthy();
      if (!box || !list) return;
      expect(box.x).toBeGreaterThanOrEqual(list.x);
      expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
      expect(
        await copy.evaluate((element) => {
          const rect = element.getBoundingClientRect();
          return element.contains(document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2));
        }),
      ).toBe(true);
      // Deleting and read receipts are the author's.
      expect(await page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Info', exact: true }).count()).toBe(0);
      await page.keyboard.press('Escape');
    }
  });

  it('opens a group with 120 unread at the first unread message and marks only what was seen as read', async () => {
    const [alice, bob, carol] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Andersen'),
      registerAccount(suite.baseUrl, 'Bob Brown'),
      registerAccount(suite.baseUrl, 'Carol Clark'),
    ]);
    const { id: conversationId } = await apiAs<{ id: string }>(suite.baseUrl, alice, 'POST', '/api/conversations', {
      type: 'group',
      title: 'Busy',
      participantIds: [bob.id, carol.id],
    });
    const read = await sendMany(alice, conversationId, 100, (index) => `Earlier ${pad(index)}`);
    await apiAs(suite.baseUrl, bob, 'POST', `/api/conversations/${conversationId}/read`, { messageId: read.at(-1)?.id });
    await sendMany(carol, conversationId, 120, (index) => `Unread ${pad(index)}`);
    const before = await apiAs<{ unreadCount: number; lastReadSeq: number }>(suite.baseUrl, bob, 'GET', `/api/conversations/${conversationId}`);
    expect(before.unreadCount).toBe(120);

    const page = await newPage();
    await openConversation(page, bob, conversationId);
    // The divider sits right above the first unread message, and that message is on screen.
    const divider = timeline(page).getByRole('separator', { name: 'New messages' });
    await divider.waitFor();
    expect(
      await timeline(page)
        .locator('li[data-item-key]', { has: page.getByRole('separator', { name: 'New messages' }) })
        .textContent(),
    ).toContain('Unread 001');
    const first = await bubble(page, 'Unread 001').boundingBox();
    const list = await page.locator('[role="log"]').locator('xpath=ancestor::div[contains(@class,"overflow-y-auto")][1]').boundingBox();
    expect(first && list && first.y >= list.y && first.y + first.height <= list.y + list.height).toBe(true);
    // The newest are far below, not on screen.
    const newest = await bubble(page, 'Unread 120').boundingBox();
    expect(newest && list && newest.y > list.y + list.height).toBe(true);

    // Reading is reported for what is on screen: the marker moves past the last read one, not to the end.
    const readState = () => apiAs<{ unreadCount: number; lastReadSeq: number }>(suite.baseUrl, bob, 'GET', `/api/conversations/${conversationId}`);
    await expect.poll(async () => (await readState()).lastReadSeq, { timeout: 10_000 }).toBeGreaterThan(before.lastReadSeq);
    const state = await readState();
    expect(state.unreadCount).toBeGreaterThan(0);
    expect(state.unreadCount).toBeLessThan(120);

    // Only the pages up to the first unread loaded; the rest of the history comes as the reader scrolls up.
    expect(await bubble(page, 'Earlier 001').count()).toBe(0);
    await timeline(page).hover();
    await expect
      .poll(
        async () => {
          await page.mouse.wheel(0, -5_000);
          return bubble(page, 'Earlier 001').count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
  });

  it('shows links as links and the formatting subset as formatting, never HTML from a message', async () => {
    const { alice, bob, conversationId } = await pair();
    await send(bob, conversationId, 'See https://example.com/docs and **this part** or `npm test` <b>raw</b> [x](javascript:alert(1))');
    const page = await newPage();
    await openConversation(page, alice, conversationId);
    const message = bubble(page, 'See ');
    const link = message.getByRole('link', { name: 'https://example.com/docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await message.locator('strong').textContent()).toBe('this part');
    expect(await message.locator('code').textContent()).toBe('npm test');
    expect(await message.locator('b').count()).toBe(0);
    expect(await message.textContent()).toContain('<b>raw</b>');
    expect(await message.getByRole('link').count()).toBe(1);
  });

  it('collapses a very long message behind "Show more"', async () => {
    const { alice, bob, conversationId } = await pair();
    await send(bob, conversationId, Array.from({ length: 60 }, (_, index) => `Row ${index + 1}`).join('\n'));
    const page = await newPage();
    await openConversation(page, alice, conversationId);
    const message = bubble(page, 'Row 1');
    const more = message.getByRole('button', { name: 'Show more' });
    await more.waitFor();
    const collapsed = (await message.boundingBox())?.height ?? 0;
    await more.click();
    await message.getByRole('button', { name: 'Show less' }).waitFor();
    expect((await message.boundingBox())?.height ?? 0).toBeGreaterThan(collapsed * 2);
  });
});
