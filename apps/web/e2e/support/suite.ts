import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeContexts, launchBrowser, openPage } from './browser';
import { type RunningServer, startServer } from './server';

export interface BrowserSuite {
  /** The running server's origin (after beforeAll). */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh, isolated browser profile pointed at the server, closed after the test. */
  open(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Closes a context this suite did not open itself after the test, like the ones it did. */
  track(context: BrowserContext): void;
}

/**
 * One built server (embedded database, `env` on top of the defaults) and one Chromium per test
 * file; every context a test opens is closed after it, and described first if the test failed.
 */
export function useBrowserSuite(env: Record<string, string> = {}): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
  });
  afterEach(async ({ task }) => {
    await closeContexts(contexts.splice(0), task.result?.state === 'fail');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const started = () => {
    if (!server || !browser) throw new Error('The browser suite has not started yet (use it inside tests or hooks).');
    return { server, browser };
  };
  return {
    get baseUrl() {
      return started().server.baseUrl;
    },
    get browser() {
      return started().browser;
    },
    async open(viewport) {
      const { server: running, browser: chromium } = started();
      const opened = await openPage(chromium, running.baseUrl, { viewport });
      contexts.push(opened.context);
      return opened;
    },
    track(context) {
      contexts.push(context);
    },
  };
}
