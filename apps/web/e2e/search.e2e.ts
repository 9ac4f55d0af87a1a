import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createDirect, logIn, registerAccount, sendMessage } from './support/accounts';
import { describeViolations, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

// The set-up sends a long history through the API.
const suite = useBrowserSuite({ MESSAGE_RATE_LIMIT: '100000', SEARCH_RATE_LIMIT: '100000' });

const FILLERS = 120;

function searchBox(page: Page) {
  return page.getByRole('combobox', { name: 'Search messages' });
}

function results(page: Page) {
  return page.getByRole('listbox', { name: 'Search results' });
}

function timeline(page: Page) {
  return page.getByRole('log', { name: 'Message history' });
}

/** The message whose whole text is `text` ("filler 3", not "filler 30"). */
function bubble(page: Page, text: string) {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return timeline(page)
    .locator('[data-message-id]')
    .filter({ has: page.locator('[data-message-text]', { hasText: exactly }) });
}

function scroller(page: Page) {
  return timeline(page).evaluateHandle((element) => element.closest('.overflow-y-auto') as HTMLElement);
}

async function scrollTo(page: Page, top: number) {
  await (await scroller(page)).evaluate((element, to) => element.scrollTo({ top: to }), top);
}

/** Whether keyboard focus is on the highlighted message (not the composer). */
function focusIsOnHighlighted(page: Page) {
  return page.evaluate(() => document.activeElement?.matches('li[data-highlighted]') ?? false);
}

function composer(page: Page) {
  return page.getByRole('combobox', { name: 'Message', exact: true });
}

function latestPill(page: Page, name: RegExp) {
  return page.getByRole('region', { name: 'Messages' }).getByRole('button', { name });
}

/** A direct chat where Bob mentioned the quokka long ago, followed by FILLERS messages. */
async function longHistory(): Promise<{ alice: Account; bob: Account; conversationId: string }> {
  const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
  const { id: conversationId } = await createDirect<{ id: string }>(suite.baseUrl, alice, bob);
  for (let n = 1; n <= 5; n += 1) await sendMessage(suite.baseUrl, alice, conversationId, `before ${n}`);
  await sendMessage(suite.baseUrl, bob, conversationId, 'Did you see the quokka photo from Rottnest?');
  for (let n = 1; n <= FILLERS; n += 1) await sendMessage(suite.baseUrl, n % 2 ? alice : bob, conversationId, `filler ${n}`);
  return { alice, bob, conversationId };
}

// Far more than two pages: the latest page of the live timeline ends long after both of them.
const FAR_FILLERS = 233;
const WALRUS_AFTER = 73;
const NEWEST = `filler ${FAR_FILLERS}`;

/**
 * A direct chat of 240 messages: the quokka at 6, Alice's walrus cake at 80, fillers around them.
 * Alice has read it all, so it opens at the bottom, with only the latest page loaded.
 */
async function farHistory(): Promise<{ alice: Account; bob: Account; conversationId: string }> {
  const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
  const { id: conversationId } = await createDirect<{ id: string }>(suite.baseUrl, alice, bob);
  for (let n = 1; n <= 5; n += 1) await sendMessage(suite.baseUrl, alice, conversationId, `before ${n}`);
  await sendMessage(suite.baseUrl, bob, conversationId, 'Did you see the quokka photo from Rottnest?');
  let last: { id: string } | undefined;
  for (let n = 1; n <= FAR_FILLERS; n += 1) {
    if (n === WALRUS_AFTER + 1) await sendMessage(suite.baseUrl, alice, conversationId, 'Who brought the walrus cake?');
    last = await sendMessage<{ id: string }>(suite.baseUrl, n % 2 ? alice : bob, conversationId, `filler ${n}`);
  }
  await apiAs(suite.baseUrl, alice, 'POST', `/api/conversations/${conversationId}/read`, { messageId: last?.id });
  return { alice, bob, conversationId };
}

/** Searches from the header and opens the result that says `text`. */
async function openResult(page: Page, query: string, text: RegExp) {
  await searchBox(page).fill(query);
  const result = results(page).getByRole('option', { name: text });
  await result.waitFor();
  await result.click();
}

describe('message search', () => {
  it('finds an old message from the header and opens the conversation at it, highlighted, with history loading both ways', async () => {
    const { alice, bob, conversationId } = await longHistory();
    const { page } = await suite.open();
    await logIn(page, alice);

    // Ctrl+K reaches the search box from anywhere.
    await page.locator('body').click();
    await page.keyboard.press('Control+k');
    await expect.poll(() => searchBox(page).evaluate((element) => element === document.activeElement)).toBe(true);
    await searchBox(page).pressSequentially('quokka', { delay: 20 });

    const result = results(page).getByRole('option', { name: /quokka/ });
    await result.waitFor();
    expect(await result.locator('mark').allTextContents()).toEqual(['quokka']);
    // Named as the sidebar names the chat (the other person), who wrote it: once, not again as the sender.
    expect((await result.textContent())?.split('Bob Brown')).toHaveLength(2);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations('search results', violations)).toEqual([]);

    await result.click();
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}` && url.searchParams.has('message'));
    const highlighted = timeline(page).locator('li[data-highlighted]');
    await highlighted.waitFor();
    expect(await highlighted.textContent()).toContain('Did you see the quokka photo from Rottnest?');
    expect(await highlighted.isVisible()).toBe(true);
    // Keyboard focus is on the message, not on the composer.
    expect(await focusIsOnHighlighted(page)).toBe(true);
    // The page around it loaded, with context both sides, not the latest page.
    await bubble(page, 'before 5').waitFor();
    await bubble(page, 'filler 3').waitFor();
    expect(await bubble(page, `filler ${FILLERS}`).count()).toBe(0);
    // The highlight fades.
    await highlighted.waitFor({ state: 'detached', timeout: 10_000 });

    // Scrolling down loads newer history until the live end; scrolling up reaches the beginning.
    await expect
      .poll(
        async () => {
          await timeline(page).evaluate((element) => element.closest('.overflow-y-auto')?.scrollTo({ top: 1e9 }));
          return bubble(page, `filler ${FILLERS}`).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await expect
      .poll(
        async () => {
          await timeline(page).evaluate((element) => element.closest('.overflow-y-auto')?.scrollTo({ top: 0 }));
          return page.getByText('Beginning of the conversation').count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const texts = await timeline(page).locator('[data-message-id] [data-message-text]').allTextContents();
    expect(texts).toHaveLength(5 + 1 + FILLERS);
    expect(texts.slice(0, 7)).toEqual(['before 1', 'before 2', 'before 3', 'before 4', 'before 5', 'Did you see the quokka photo from Rottnest?', 'filler 1']);

    // The live timeline still works: a new message from Bob shows up, and Alice can answer.
    await sendMessage(suite.baseUrl, bob, conversationId, 'Still there?');
    await bubble(page, 'Still there?').waitFor();
    const composer = page.getByRole('combobox', { name: 'Message', exact: true });
    await composer.fill('Yes!');
    await composer.press('Enter');
    await expect.poll(() => bubble(page, 'Yes!').getAttribute('data-status')).toBe('delivered');
  });

  it('moves through results with the keyboard, says when nothing matches and shows what is wrong with a query', async () => {
    const { alice, conversationId } = await longHistory();
    const { page } = await suite.open();
    await logIn(page, alice);

    await searchBox(page).fill('filler');
    await results(page).getByRole('option').first().waitFor();
    // Newest first: the second option is the message before the latest filler.
    await searchBox(page).press('ArrowDown');
    await searchBox(page).press('ArrowDown');
    const selected = await results(page).getByRole('option', { selected: true }).textContent();
    expect(selected).toContain(`filler ${FILLERS - 1}`);
    // Alice's own message in the direct chat: the chat's name, then "You".
    expect(selected?.split('Bob Brown')).toHaveLength(2);
    expect(selected).toContain('You');
    await searchBox(page).press('Enter');
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}`);
    expect(await timeline(page).locator('li[data-highlighted]').textContent()).toContain(`filler ${FILLERS - 1}`);

    // Results load page after page as the panel scrolls.
    await searchBox(page).fill('');
    await searchBox(page).fill('filler');
    await results(page).getByRole('option').first().waitFor();
    await expect
      .poll(
        async () => {
          await results(page).evaluate((element) => element.parentElement?.scrollTo({ top: 1e9 }));
          return results(page).getByRole('option').count();
        },
        { timeout: 20_000 },
      )
      .toBe(FILLERS);

    await searchBox(page).fill('zebra');
    await page.getByText('No messages match').waitFor();

    await searchBox(page).fill('filler before:2024-13-45');
    await searchBox(page).press('Enter');
    expect(await page.getByRole('alert').filter({ hasText: 'before:' }).textContent()).toContain('YYYY-MM-DD');
  });

  it('fits a phone: an icon opens the search full width', async () => {
    const { alice, conversationId } = await longHistory();
    const { page } = await suite.open({ width: 390, height: 844 });
    await logIn(page, alice);
    expect(await searchBox(page).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Search messages' }).click();
    await searchBox(page).fill('quokka');
    const result = results(page).getByRole('option', { name: /quokka/ });
    await result.waitFor();
    const box = await searchBox(page).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await result.click();
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}`);
    await timeline(page).locator('li[data-highlighted]').waitFor();
  });

  it('jumps to a result far back in a conversation already open, and leads back to the latest messages, where a message sent meanwhile shows', async () => {
    const { alice, conversationId } = await farHistory();
    const { page } = await suite.open();
    await logIn(page, alice);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Bob Brown\b/ })
      .click();
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}`);
    await bubble(page, NEWEST).waitFor();
    expect(await bubble(page, 'Did you see the quokka photo from Rottnest?').count()).toBe(0);

    await openResult(page, 'quokka', /quokka/);
    const highlighted = timeline(page).locator('li[data-highlighted]');
    await highlighted.waitFor();
    expect(await highlighted.textContent()).toContain('Did you see the quokka photo from Rottnest?');
    expect(await highlighted.isVisible()).toBe(true);
    await expect.poll(() => focusIsOnHighlighted(page)).toBe(true);
    // The history around it, not 240 messages paged back: the latest messages are not in the list.
    await bubble(page, 'before 1').waitFor();
    expect(await bubble(page, NEWEST).count()).toBe(0);
    expect(await timeline(page).locator('[data-message-id]').count()).toBeLessThan(100);

    // The way back is there; it opens the latest messages at the bottom.
    await latestPill(page, /Jump to latest/).click();
    await bubble(page, NEWEST).waitFor();
    await expect.poll(() => bubble(page, NEWEST).isVisible()).toBe(true);
    expect(await bubble(page, 'Did you see the quokka photo from Rottnest?').count()).toBe(0);
    expect(await latestPill(page, /Jump to latest|New messages/).count()).toBe(0);

    // Jump again, then write from the old window: back at the latest, the message is sent.
    await openResult(page, 'quokka', /quokka/);
    await timeline(page).locator('li[data-highlighted]').waitFor();
    expect(await bubble(page, NEWEST).count()).toBe(0);
    await composer(page).fill('Found it!');
    await composer(page).press('Enter');
    await expect.poll(() => bubble(page, 'Found it!').getAttribute('data-status'), { timeout: 10_000 }).toBe('delivered');
    expect(await bubble(page, NEWEST).count()).toBe(1);
    expect(await bubble(page, 'Did you see the quokka photo from Rottnest?').count()).toBe(0);
    const texts = await timeline(page).locator('[data-message-id] [data-message-text]').allTextContents();
    expect(texts.slice(-2)).toEqual([NEWEST, 'Found it!']);
  });

  it('says when new messages arrive while an old window is shown, and the pill leads to them', async () => {
    const { alice, bob, conversationId } = await farHistory();
    const { page } = await suite.open();
    await logIn(page, alice);
    await page.goto(`/c/${conversationId}`);
    await bubble(page, NEWEST).waitFor();

    await openResult(page, 'walrus', /walrus/);
    await timeline(page).locator('li[data-highlighted]').waitFor();
    expect(await bubble(page, NEWEST).count()).toBe(0);
    await latestPill(page, /Jump to latest/).waitFor();

    await sendMessage(suite.baseUrl, bob, conversationId, 'Anyone home?');
    const pill = latestPill(page, /New messages/);
    await pill.waitFor();
    // It waits at the live end, not in the old window.
    expect(await bubble(page, 'Anyone home?').count()).toBe(0);

    await pill.click();
    await bubble(page, 'Anyone home?').waitFor();
    await expect.poll(() => bubble(page, 'Anyone home?').isVisible()).toBe(true);
    expect(await bubble(page, 'Who brought the walrus cake?').count()).toBe(0);
    expect(await pill.count()).toBe(0);
    // Focus is on the newest message, not lost with the pill.
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Anyone home?');

    // The conversation's own link leads back to the latest messages too.
    await openResult(page, 'walrus', /walrus/);
    await timeline(page).locator('li[data-highlighted]').waitFor();
    expect(await bubble(page, 'Anyone home?').count()).toBe(0);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /^Bob Brown\b/ })
      .click();
    await bubble(page, 'Anyone home?').waitFor();
    expect(await bubble(page, 'Who brought the walrus cake?').count()).toBe(0);
  });

  it('jumps to a second, newer result in a conversation opened around an old message, whose newer pages then join the live end', async () => {
    const { alice, bob, conversationId } = await farHistory();
    const { page } = await suite.open();
    await logIn(page, alice);

    await openResult(page, 'quokka', /quokka/);
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}`);
    await timeline(page).locator('li[data-highlighted]', { hasText: 'quokka' }).waitFor();
    expect(await bubble(page, 'Who brought the walrus cake?').count()).toBe(0);

    await openResult(page, 'walrus', /walrus/);
    const highlighted = timeline(page).locator('li[data-highlighted]', { hasText: 'Who brought the walrus cake?' });
    await highlighted.waitFor();
    expect(await highlighted.isVisible()).toBe(true);
    await expect.poll(() => focusIsOnHighlighted(page)).toBe(true);
    expect(await bubble(page, NEWEST).count()).toBe(0);

    // Scrolling down loads newer history until it meets the live end: one list, each message once.
    await expect
      .poll(
        async () => {
          await scrollTo(page, 1e9);
          return bubble(page, NEWEST).count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await expect.poll(() => latestPill(page, /Jump to latest/).count()).toBe(0);
    const texts = await timeline(page).locator('[data-message-id] [data-message-text]').allTextContents();
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.at(-1)).toBe(NEWEST);
    const walrusAt = texts.indexOf('Who brought the walrus cake?');
    expect(texts.slice(walrusAt + 1)).toEqual(Array.from({ length: FAR_FILLERS - WALRUS_AFTER }, (_, index) => `filler ${WALRUS_AFTER + 1 + index}`));

    // Joined to the live timeline: a new message shows in the list.
    await sendMessage(suite.baseUrl, bob, conversationId, 'Late reply');
    await bubble(page, 'Late reply').waitFor();
  });
});
