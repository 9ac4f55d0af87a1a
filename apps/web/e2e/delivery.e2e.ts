import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Account, apiAs, createDirect, logIn, registerAccount } from './support/accounts';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await suite.open();
  return opened;
}

const directBetween = async (owner: Account, other: Account) => (await createDirect<{ id: string }>(suite.baseUrl, owner, other)).id;

const say = (account: Account, conversationId: string, content: string) =>
  apiAs(suite.baseUrl, account, 'POST', `/api/conversations/${conversationId}/messages`, { content, clientMessageId: randomUUID() });

/** What the server says about `account`'s side of a conversation. */
async function summaryFor(account: Account, conversationId: string) {
  const page = await apiAs<{ conversations: Array<{ id: string; unreadCount: number; lastReadSeq: number }> }>(
    suite.baseUrl,
    account,
    'GET',
    '/api/conversations?limit=100',
  );
  return page.conversations.find((c) => c.id === conversationId)!;
}

async function history(account: Account, conversationId: string) {
  const page = await apiAs<{ messages: Array<{ seq: number; content: string }> }>(
    suite.baseUrl,
    account,
    'GET',
    `/api/conversations/${conversationId}/messages?limit=100`,
  );
  return page.messages;
}

const timeline = (page: Page) => page.getByRole('log', { name: 'Message history' });
const composer = (page: Page) => page.getByRole('combobox', { name: 'Message', exact: true });
const bubble = (page: Page, text: string) => timeline(page).locator('[data-message-id]', { hasText: text });
const messageTexts = (page: Page) => timeline(page).locator('[data-message-id] [data-message-text]').allTextContents();
/** Each bubble's text and delivery status ("" for others' messages; "read" counts as delivered), in display order. */
const shown = (page: Page) =>
  timeline(page)
    .locator('[data-message-id]')
    .evaluateAll((nodes) =>
      nodes.map(
        (node) => `${node.querySelector('[data-message-text]')?.textContent ?? ''}|${(node.getAttribute('data-status') ?? '').replace('read', 'delivered')}`,
      ),
    );
const sidebarLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${name}\\b`) });

async function openConversation(page: Page, account: Account, conversationId: string): Promise<void> {
  await logIn(page, account);
  await page.goto(`/c/${conversationId}`);
  await page.getByRole('region', { name: 'Messages' }).waitFor();
  await page.getByRole('banner').getByText('Connected').waitFor({ state: 'attached' });
  await expect.poll(() => composer(page).isEnabled()).toBe(true);
}

async function write(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await bubble(page, text).waitFor();
}

describe('delivery in the browser', () => {
  it('after a reconnect, shows what arrived while offline along with its own held message, in order, and leaves it unread until shown', async () => {
    const [alice, bob, carol] = await Promise.all([
      registerAccount(suite.baseUrl, 'Alice Aalto'),
      registerAccount(suite.baseUrl, 'Bob Berg'),
      registerAccount(suite.baseUrl, 'Carol Cruz'),
    ]);
    const withBob = await directBetween(alice, bob);
    await directBetween(alice, carol);
    await say(bob, withBob, 'Before the drop');

    const { context: contextA, page: pageA } = await newPage();
    const { page: pageB } = await newPage();
    await openConversation(pageA, alice, withBob);
    await openConversation(pageB, bob, withBob);
    await bubble(pageA, 'Before the drop').waitFor();
    await expect.poll(async () => (await summaryFor(alice, withBob)).unreadCount).toBe(0);

    // Alice's network drops: her socket is gone (the header says so once it closed).
    await contextA.setOffline(true);
    await pageA.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    for (const text of ['Bob one', 'Bob two', 'Bob three']) await write(pageB, text);
    await expect.poll(() => bubble(pageB, 'Bob three').getAttribute('data-status')).toBe('delivered');

    // Alice writes while offline: it waits, shown as sending; Bob's messages have not reached her.
    await write(pageA, 'Written offline');
    expect(await bubble(pageA, 'Written offline').getAttribute('data-status')).toBe('sending');
    expect(await messageTexts(pageA)).toEqual(['Before the drop', 'Written offline']);

    // She looks at another conversation, then the network returns.
    await sidebarLink(pageA, 'Carol Cruz').click();
    await pageA.waitForURL((url) => !url.pathname.includes(withBob));
    await contextA.setOffline(false);

    // Her held message goes out by itself; Bob gets it once, after his three.
    await expect.poll(() => messageTexts(pageB), { timeout: 30_000 }).toEqual(['Before the drop', 'Bob one', 'Bob two', 'Bob three', 'Written offline']);
    // Sending it did not mark Bob's three as read: her screen has not shown them.
    expect(await summaryFor(alice, withBob)).toMatchObject({ unreadCount: 3 });

    // Back in the conversation, without a reload: everything, in seq order, all delivered.
    await sidebarLink(pageA, 'Bob Berg').click();
    await expect.poll(() => shown(pageA), { timeout: 20_000 }).toEqual(['Before the drop|', 'Bob one|', 'Bob two|', 'Bob three|', 'Written offline|delivered']);
    const seqs = await timeline(pageA)
      .locator('[data-message-id]')
      .evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-seq'))));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    // Now that they were shown, they are read.
    await expect.poll(async () => (await summaryFor(alice, withBob)).unreadCount, { timeout: 20_000 }).toBe(0);
    expect((await history(bob, withBob)).map((m) => m.content)).toEqual(['Before the drop', 'Bob one', 'Bob two', 'Bob three', 'Written offline']);
  });

  it('staying in the conversation through a network drop, says it is offline, holds the send, and marks what the catch-up shows as read', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Aho'), registerAccount(suite.baseUrl, 'Bob Bell')]);
    const withBob = await directBetween(alice, bob);
    await say(bob, withBob, 'Before the drop');

    const { context: contextA, page: pageA } = await newPage();
    await openConversation(pageA, alice, withBob);
    await bubble(pageA, 'Before the drop').waitFor();
    await expect.poll(async () => (await summaryFor(alice, withBob)).unreadCount).toBe(0);

    // The network drops: the header says so at once (not after the socket's ping times out), and
    // what Alice writes waits, claiming to hold up to seq 1; Bob's three cannot reach her.
    await contextA.setOffline(true);
    await pageA.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    for (const text of ['Bob one', 'Bob two', 'Bob three']) await say(bob, withBob, text);
    await write(pageA, 'Written offline');
    expect(await bubble(pageA, 'Written offline').getAttribute('data-status')).toBe('sending');
    await contextA.setOffline(false);

    await expect.poll(() => shown(pageA), { timeout: 30_000 }).toEqual(['Before the drop|', 'Bob one|', 'Bob two|', 'Bob three|', 'Written offline|delivered']);
    // Shown, so reported read: the sidebar must not have believed that her send read them.
    await expect.poll(async () => (await summaryFor(alice, withBob)).unreadCount, { timeout: 20_000 }).toBe(0);
  });

  it('keeps unsent messages across a reload and delivers them in order, exactly once, when the server is reachable again', async () => {
    const [alice, bob] = await Promise.all([registerAccount(suite.baseUrl, 'Alice Aurora'), registerAccount(suite.baseUrl, 'Bob Birch')]);
    const conversationId = await directBetween(alice, bob);
    const { context: contextA, page: pageA } = await newPage();
    const { page: pageB } = await newPage();
    // Alice's way to the server can be cut for what delivers messages (the socket and the send
    // endpoint) while the page itself can still load, which it could not without any network.
    let reachable = true;
    const openSockets = new Set<WebSocketRoute>();
    const isSend = (url: URL) => /\/api\/conversations\/[^/]+\/messages$/.test(url.pathname);
    await contextA.route(isSend, (route) => (!reachable && route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback()));
    await contextA.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (!reachable) return ws.close();
      ws.connectToServer();
      openSockets.add(ws);
    });
    await openConversation(pageA, alice, conversationId);
    await openConversation(pageB, bob, conversationId);

    reachable = false;
    await contextA.setOffline(true);
    for (const ws of openSockets) await ws.close();
    await pageA.getByRole('banner').getByText('Offline').waitFor({ state: 'attached' });
    await write(pageA, 'First, offline');
    await write(pageA, 'Second, offline');
    expect(await shown(pageA)).toEqual(['First, offline|sending', 'Second, offline|sending']);

    // The tab reloads; the page loads, the server is still out of reach for sending.
    await contextA.setOffline(false);
    await pageA.reload();
    await timeline(pageA).waitFor();

    await expect.poll(() => shown(pageA)).toEqual(['First, offline|sending', 'Second, offline|sending']);
    expect(await messageTexts(pageB)).toEqual([]);

    // Reachable again: both go out by themselves, in the order written.
    reachable = true;
    await expect.poll(() => messageTexts(pageB), { timeout: 40_000 }).toEqual(['First, offline', 'Second, offline']);
    await expect.poll(() => shown(pageA), { timeout: 20_000 }).toEqual(['First, offline|delivered', 'Second, offline|delivered']);
    expect((await history(bob, conversationId)).map((m) => m.content)).toEqual(['First, offline', 'Second, offline']);

    // Nothing is left to send after another reload.
    await pageA.reload();
    await bubble(pageA, 'Second, offline').waitFor();
    expect(await shown(pageA)).toEqual(['First, offline|delivered', 'Second, offline|delivered']);
    expect(await pageA.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('chat:outbox:')))).toEqual([]);
  });
});
