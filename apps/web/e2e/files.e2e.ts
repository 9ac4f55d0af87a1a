import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, createDirect, logIn, registerAccount } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

// A one-page PDF, small enough to write out by hand; the server tells its type from these bytes.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 72 72]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const bubbleWith = (page: Page, selector: string) => timeline(page).locator('[data-message-id]', { has: page.locator(selector) });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

/** Pastes a PNG drawn in the page into the composer, as copying an image from another app would. */
async function pasteImage(page: Page, name: string): Promise<void> {
  await composer(page).evaluate(async (field, fileName) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#4f46e5';
    context.fillRect(0, 0, 64, 48);
    context.fillStyle = '#facc15';
    context.fillRect(8, 8, 24, 16);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((made) => resolve(made!), 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], fileName, { type: 'image/png' }));
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, name);
}

describe('files in the browser', () => {
  it('a pasted image reaches the other side as a preview that opens full size; a PDF is downloaded byte for byte', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Attach'), registerAccount(suite.baseUrl, 'Bob Browse')]);
    const conversationId = (await createDirect<{ id: string }>(suite.baseUrl, alice, bob)).id;
    const { page: pageA } = await suite.open();
    const { page: pageB } = await suite.open();
    await openConversation(pageA, alice, conversationId);
    await openConversation(pageB, bob, conversationId);

    // Alice pastes an image: it uploads as a chip above the composer, then goes out without text.
    await pasteImage(pageA, 'sketch.png');
    const attachments = pageA.getByRole('list', { name: 'Attachments' });
    await attachments.getByText('sketch.png').waitFor();
    expect(await composer(pageA).inputValue()).toBe('');
    await expect.poll(() => attachments.locator('[data-upload-status]').getAttribute('data-upload-status')).toBe('done');
    await pageA.getByRole('button', { name: 'Send', exact: true }).click();
    await attachments.waitFor({ state: 'detached' });
    await expect.poll(() => bubbleWith(pageA, '[data-attachment-image]').getAttribute('data-status')).toBe('delivered');

    // Bob sees its thumbnail once the server made it, and opens the original.
    const thumbnail = bubbleWith(pageB, '[data-attachment-image]').locator('img[data-thumbnail]');
    await thumbnail.waitFor({ timeout: 30_000 });
    await expect.poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(64);
    await pageB.getByRole('button', { name: 'Open image sketch.png' }).click();
    const viewer = pageB.getByRole('dialog', { name: 'sketch.png' });
    const original = viewer.getByRole('img', { name: 'sketch.png' });
    await original.waitFor();
    await expect.poll(() => original.evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight])).toEqual([64, 48]);
    await viewer.getByRole('link', { name: 'Download' }).waitFor();
    await pageB.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // A file over the limit fails at once, with Retry and Remove.
    await pageA
      .getByTestId('attach-files-input')
      .setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(25 * 1024 * 1024 + 1) });
    await attachments.getByText('Too large: the limit is 25 MB').waitFor();
    await attachments.getByRole('button', { name: 'Retry' }).waitFor();
    await attachments.getByRole('button', { name: 'Remove huge.bin' }).click();
    await attachments.waitFor({ state: 'detached' });

    // Alice attaches a PDF with the paperclip and a line of text.
    const [chooser] = await Promise.all([pageA.waitForEvent('filechooser'), pageA.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => attachments.locator('[data-upload-status]').getAttribute('data-upload-status')).toBe('done');
    await composer(pageA).fill('Here is the report');
    await composer(pageA).press('Enter');

    // Bob downloads it and gets the same bytes under the same name.
    const card = bubbleWith(pageB, '[data-attachment-file]');
    await card.getByText('Here is the report').waitFor();
    await card.getByText('report.pdf').waitFor();
    await card.getByText(`${PDF.length} B`).waitFor();
    const [download] = await Promise.all([pageB.waitForEvent('download'), card.getByRole('button', { name: 'Download report.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('report.pdf');
    expect(Buffer.compare(await readFile(await download.path()), PDF)).toBe(0);

    // Alice takes the text away: the file stays, and Bob's sidebar names it instead.
    const sent = bubbleWith(pageA, '[data-attachment-file]');
    await sent.hover();
    await sent.getByRole('button', { name: 'Message options' }).click();
    await pageA.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = pageA.getByRole('combobox', { name: 'Edit message' });
    await editor.fill('');
    await editor.press('Enter');
    await card.getByText('edited').waitFor();
    await card.getByText('Here is the report').waitFor({ state: 'detached' });
    await card.getByText('report.pdf').waitFor();
    await pageB.getByRole('navigation', { name: 'Conversations' }).getByText('Files: report.pdf').waitFor();

    // Deleting the message takes the file away from Bob too.
    await sent.hover();
    await sent.getByRole('button', { name: 'Message options' }).click();
    await pageA.getByRole('button', { name: 'Delete', exact: true }).click();
    await pageA.getByRole('alertdialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
    await card.waitFor({ state: 'detached' });
    await timeline(pageB).getByText('Message deleted').waitFor();
  });
});
