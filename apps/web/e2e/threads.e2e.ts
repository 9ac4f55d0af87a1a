import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createGroup, logIn, registerAccount, sendMessage } from './support/accounts';
import { describeViolations, seriousViolations } from './support/axe';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const bubble = (page: Page, text: string) => timeline(page).locator('[data-message-id]', { hasText: text });
const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

describe('threads in the browser', () => {
  it('a reply in a thread moves the root’s reply line live for the others, opens in their panel, and never shows in the main list', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Threader'), registerAccount(suite.baseUrl, 'Bob Follower')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Design review' })).id;
    await sendMessage(suite.baseUrl, alice, groupId, 'Which colour for the button?');

    const { page: pageA } = await suite.open();
    await openConversation(pageA, alice, groupId);
    // Bob is on a phone.
    const { page: pageB } = await suite.open({ width: 390, height: 844 });
    await openConversation(pageB, bob, groupId);
    await bubble(pageB, 'Which colour for the button?').waitFor();

    // Alice opens the thread from the message's menu and replies in it.
    const root = bubble(pageA, 'Which colour for the button?');
    await root.getByRole('button', { name: 'Message options' }).click();
    await pageA.getByRole('button', { name: 'Reply in thread' }).click();
    await panel(pageA).waitFor();
    const reply = panel(pageA).getByRole('combobox', { name: 'Reply' });
    await expect.poll(() => reply.isEnabled()).toBe(true);
    await reply.fill('Indigo, like the rest');
    await reply.press('Enter');
    const sent = panel(pageA).getByRole('list', { name: 'Replies' }).locator('[data-message-id]', { hasText: 'Indigo, like the rest' });
    await expect.poll(() => sent.getAttribute('data-status')).not.toBe('sending');
    expect(await bubble(pageA, 'Indigo, like the rest').count()).toBe(0);

    // Bob sees the root's reply line appear without reloading, and opens the thread from it.
    const line = bubble(pageB, 'Which colour for the button?').getByRole('button', { name: /^1 reply · last reply/ });
    await line.waitFor();
    await line.click();
    await panel(pageB).getByText('Indigo, like the rest').waitFor();
    // Full screen on a phone.
    const box = await panel(pageB).boundingBox();
    expect(box?.width).toBe(390);
    const violations = await seriousViolations(pageB);
    expect(violations, describeViolations('thread panel on a phone', violations)).toEqual([]);

    // The reply is in the thread only, never in the main list.
    await panel(pageB).getByRole('button', { name: 'Close thread' }).click();
    await panel(pageB).waitFor({ state: 'detached' });
    expect(await timeline(pageB).getByText('Indigo, like the rest').count()).toBe(0);
    expect(await bubble(pageB, 'Which colour for the button?').count()).toBe(1);

    // A second reply moves the line again; the thread she started is in her Threads view.
    await line.click();
    const bobReply = panel(pageB).getByRole('combobox', { name: 'Reply' });
    await expect.poll(() => bobReply.isEnabled()).toBe(true);
    await bobReply.fill('Agreed');
    await bobReply.press('Enter');
    await bubble(pageA, 'Which colour for the button?')
      .getByRole('button', { name: /^2 replies/ })
      .waitFor();
    await pageA.getByRole('button', { name: 'Close thread' }).click();
    await pageA.getByRole('link', { name: /^Threads/ }).click();
    const followed = pageA.getByRole('list', { name: 'Followed threads' });
    await followed.getByText('Which colour for the button?').waitFor();
    await expect.poll(() => followed.getByRole('link').first().textContent()).toContain('2 replies');
  });
});
