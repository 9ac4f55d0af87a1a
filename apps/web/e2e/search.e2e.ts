import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createDirect, logIn, registerAccount, sendMessage } from './support/accounts';
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

/** A direct chat where Bob mentioned the quokka long ago, followed by FILLERS messages. */
async function longHistory(): Promise<{ alice: Account; bob: Account; conversationId: string }> {
  const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Andersen'), registerAccount(suite.baseUrl, 'Bob Brown')]);
  const { id: conversationId } = await createDirect<{ id: string }>(suite.baseUrl, alice, bob);
  for (let n = 1; n <= 5; n += 1) await sendMessage(suite.baseUrl, alice, conversationId, `before ${n}`);
  await sendMessage(suite.baseUrl, bob, conversationId, 'Did you see the quokka photo from Rottnest?');
  for (let n = 1; n <= FILLERS; n += 1) await sendMessage(suite.baseUrl, n % 2 ? alice : bob, conversationId, `filler ${n}`);
  return { alice, bob, conversationId };
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
    // Named as the sidebar names the chat (the other person), with the sender.
    expect(await result.textContent()).toContain('Bob Brown');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations('search results', violations)).toEqual([]);

    await result.click();
    await page.waitForURL((url) => url.pathname === `/c/${conversationId}` && url.searchParams.has('message'));
    const highlighted = timeline(page).locator('li[data-highlighted]');
    await highlighted.waitFor();
    expect(await highlighted.textContent()).toContain('Did you see the quokka photo from Rottnest?');
    expect(await highlighted.isVisible()).toBe(true);
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
    const composer = page.getByRole('textbox', { name: 'Message', exact: true });
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
    expect(await results(page).getByRole('option', { selected: true }).textContent()).toContain(`filler ${FILLERS - 1}`);
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
});
