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

// A one-page PDF, small enough to write out by hand; the server tells its type from these bytes.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 72 72]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

/** Opens a message's thread from its menu; returns the panel's reply box once it is usable. */
async function openThread(page: Page, rootText: string) {
  const root = bubble(page, rootText);
  await root.hover();
  await root.getByRole('button', { name: 'Message options' }).click();
  await page.getByRole('button', { name: 'Reply in thread' }).click();
  const reply = panel(page).getByRole('combobox', { name: 'Reply' });
  await expect.poll(() => reply.isEnabled()).toBe(true);
  return reply;
}

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
    // On a laptop screen the list makes room for the panel: her own message, on the right, stays in view beside it.
    const rightEdge = async () => {
      const box = await root.boundingBox();
      return box ? box.x + box.width : Infinity;
    };
    const panelLeft = (await panel(pageA).boundingBox())?.x ?? 0;
    await expect.poll(rightEdge).toBeLessThanOrEqual(panelLeft);
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

  it('typing in the panel shows in the other’s panel only, and a file attached in the panel goes out with the reply', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Drafter'), registerAccount(suite.baseUrl, 'Bob Reader')]);
    const groupId = (await createGroup<{ id: string }>(suite.baseUrl, alice, [bob], { title: 'Plans' })).id;
    await sendMessage(suite.baseUrl, bob, groupId, 'Where is the floor plan?');
    const { page: pageA } = await suite.open();
    const { page: pageB } = await suite.open();
    await openConversation(pageA, alice, groupId);
    await openConversation(pageB, bob, groupId);
    const replyA = await openThread(pageA, 'Where is the floor plan?');
    await openThread(pageB, 'Where is the floor plan?');

    // In a thread @everyone means the thread's followers, and the list of names says so.
    await replyA.pressSequentially('@ever');
    await panel(pageA).getByRole('listbox', { name: 'Mention someone' }).getByText('Notify everyone following this thread').waitFor();
    await replyA.fill('');
    await panel(pageA).getByRole('listbox', { name: 'Mention someone' }).waitFor({ state: 'detached' });

    // Alice types a reply: Bob's panel says so, his main list does not.
    await replyA.pressSequentially('One moment');
    await panel(pageB).getByText('Alice Drafter is typing…').waitFor();
    expect(await pageB.getByText('Alice Drafter is typing…').count()).toBe(1);
    // Emptied, the reply box stops it; typing in the main composer shows under Bob's main list only.
    await replyA.fill('');
    await panel(pageB).getByText('Alice Drafter is typing…').waitFor({ state: 'detached' });
    await composer(pageA).pressSequentially('Meanwhile');
    await expect.poll(() => pageB.getByText('Alice Drafter is typing…').count()).toBe(1);
    expect(await panel(pageB).getByText('Alice Drafter is typing…').count()).toBe(0);
    await composer(pageA).fill('');

    // She attaches the plan with the panel's paperclip and sends it with a line of text.
    const [chooser] = await Promise.all([pageA.waitForEvent('filechooser'), panel(pageA).getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'floor-plan.pdf', mimeType: 'application/pdf', buffer: PDF });
    const tray = panel(pageA).getByRole('list', { name: 'Attachments' });
    await expect.poll(() => tray.locator('[data-upload-status]').getAttribute('data-upload-status')).toBe('done');
    // The main composer has nothing attached.
    expect(await pageA.getByRole('list', { name: 'Attachments' }).count()).toBe(1);
    await replyA.fill('Here it is');
    await replyA.press('Enter');
    await tray.waitFor({ state: 'detached' });
    const sent = panel(pageA).getByRole('list', { name: 'Replies' }).locator('[data-message-id]', { hasText: 'Here it is' });
    await sent.getByText('floor-plan.pdf').waitFor();
    await expect.poll(() => sent.getAttribute('data-status')).toBe('delivered');

    // Bob gets the reply with its file in his panel, and can download it; the main list has neither.
    const received = panel(pageB).getByRole('list', { name: 'Replies' }).locator('[data-message-id]', { hasText: 'Here it is' });
    await received.getByText('floor-plan.pdf').waitFor();
    const [download] = await Promise.all([pageB.waitForEvent('download'), received.getByRole('button', { name: 'Download floor-plan.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('floor-plan.pdf');
    expect(await timeline(pageB).getByText('floor-plan.pdf').count()).toBe(0);
  });
});
