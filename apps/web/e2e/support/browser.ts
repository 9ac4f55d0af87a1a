import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh, isolated browser profile (own cookies and localStorage) pointed at the server. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: options.viewport ?? { width: 1280, height: 800 } });
  // Fail with Playwright's descriptive error well before the test timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  keepJournal(context, page);
  return { context, page };
}

const journals = new WeakMap<BrowserContext, string[]>();

/** What went wrong in the page as it ran: console errors, page errors, failed and refused requests. */
function keepJournal(context: BrowserContext, page: Page): void {
  const journal: string[] = [];
  const started = Date.now();
  const note = (line: string) => {
    journal.push(`+${Date.now() - started} ms ${line}`);
    if (journal.length > 100) journal.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') note(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => note(`page error: ${error.message}`));
  page.on('requestfailed', (request) => note(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) note(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  journals.set(context, journal);
}

/**
 * Closes a test's browser contexts. After a failed test it first prints what each page shows and
 * what went wrong in it, so a failure in CI says more than the locator that timed out.
 */
export async function closeContexts(contexts: BrowserContext[], testFailed: boolean): Promise<void> {
  if (testFailed) {
    for (const [index, context] of contexts.entries()) {
      for (const page of context.pages()) {
        const text = await page
          .locator('body')
          .innerText({ timeout: 2_000 })
          .catch((error: Error) => `(no text: ${error.message})`);
        console.error(
          [`--- page ${index + 1}: ${page.url()}`, text.replace(/\s+/g, ' ').slice(0, 1_500), ...(journals.get(context) ?? ['(no journal)'])].join('\n'),
        );
      }
    }
  }
  await Promise.all(contexts.map((context) => context.close()));
}
